package dev.somnus.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.somnus.api.command.CommandException;

/** input-data decoded as qemu-ga 7.2 decodes it (qbase64_decode, then GLib's g_base64_decode). */
class InputDataTest {

    private static String text(String base64) throws CommandException {
        return new String(InputData.decode(base64), StandardCharsets.ISO_8859_1);
    }

    @Test
    void standardBase64DecodesAsEverywhere() throws Exception {
        Random random = new Random(7);
        for (int length = 0; length < 64; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            assertThat(InputData.decode(Base64.getEncoder().encodeToString(bytes))).isEqualTo(bytes);
        }
    }

    @Test
    void newlinesAnywhereAreSkippedAsMimeWrappedBase64Needs() throws Exception {
        assertThat(text("aGVs\nbG8K")).isEqualTo("hello\n");
        assertThat(text("\na\nG\nV\ns\n")).isEqualTo("hel");
        assertThat(text(Base64.getMimeEncoder(4, "\n".getBytes()).encodeToString("hello".getBytes())))
                .isEqualTo("hello");
    }

    @Test
    void aTrailingIncompleteGroupIsDroppedWithoutComplaint() throws Exception {
        // as the live qemu-ga 7.2 answered: "aGVsbG8" fed "hel" to cat
        assertThat(text("aGVsbG8")).isEqualTo("hel");
        assertThat(text("a")).isEmpty();
        assertThat(text("")).isEmpty();
    }

    @Test
    void paddingCountsOnlyAmongTheLastTwoCharactersOfAGroup() throws Exception {
        assertThat(text("aA==")).isEqualTo("h");
        assertThat(text("aGk=")).isEqualTo("hi");
        // '=' inside a group is a zero digit, and decoding goes on after it
        assertThat(text("aA==aGk=")).isEqualTo("hhi");
        assertThat(InputData.decode("=AAA")).containsExactly(0, 0, 0);
    }

    @Test
    void anyOtherCharacterIsQemusError() {
        for (String bad : new String[] {"!!!", "aGVs bG8K", "aGVs\rbG8K", "aGVs\tbG8K", "aGVs-_", "\u00e9", "a\u0000"}) {
            assertThatThrownBy(() -> InputData.decode(bad)).isInstanceOf(CommandException.class)
                    .hasMessage("Base64 data contains invalid characters");
        }
    }
}
