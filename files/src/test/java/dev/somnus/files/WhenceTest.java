package dev.somnus.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WhenceTest {

    @Test
    void takesTheIntegersAndTheQgaSeekNames() throws CommandException {
        assertThat(Whence.of(Whence.code(0L))).isEqualTo(Whence.SET);
        assertThat(Whence.of(Whence.code(1L))).isEqualTo(Whence.CUR);
        assertThat(Whence.of(Whence.code(2L))).isEqualTo(Whence.END);
        assertThat(Whence.of(Whence.code("set"))).isEqualTo(Whence.SET);
        assertThat(Whence.of(Whence.code("cur"))).isEqualTo(Whence.CUR);
        assertThat(Whence.of(Whence.code("end"))).isEqualTo(Whence.END);
    }

    @Test
    void answersTheVisitorsTextsForWrongTypesAndNames() {
        assertThatThrownBy(() -> Whence.code("SET")).hasMessage("Parameter 'whence' does not accept value 'SET'");
        assertThatThrownBy(() -> Whence.code(1.5)).hasMessage("Invalid parameter type for 'whence', expected: integer");
        assertThatThrownBy(() -> Whence.code(new BigInteger("9223372036854775808")))
                .hasMessage("Invalid parameter type for 'whence', expected: integer");
        for (Object other : new Object[] {null, true, Map.of(), List.of()}) {
            assertThatThrownBy(() -> Whence.code(other)).as(String.valueOf(other))
                    .hasMessage("Invalid parameter type for 'whence', expected: GuestFileWhence");
        }
    }

    @Test
    void answersGaParseWhencesTextForOtherIntegers() throws CommandException {
        long code = Whence.code(3L); // passes the visitor
        assertThatThrownBy(() -> Whence.of(code)).hasMessage("invalid whence code 3");
        assertThatThrownBy(() -> Whence.of(-1)).hasMessage("invalid whence code -1");
        assertThatThrownBy(() -> Whence.of(Long.MAX_VALUE)).hasMessage("invalid whence code 9223372036854775807");
    }
}
