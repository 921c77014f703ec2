package dev.somnus.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** qbase64_decode + g_base64_decode, as qemu-ga 7.2 answered them live (FilesDifferentialTest). */
class GuestBase64Test {

    @Test
    void decodesPlainAndLineWrappedText() throws CommandException {
        assertThat(text("QUJD")).isEqualTo("ABC");
        assertThat(text("QUJD\nREVG\n")).isEqualTo("ABCDEF");
        assertThat(text("aGVsbG8=")).isEqualTo("hello");
        assertThat(text("")).isEmpty();
        assertThat(text("\n")).isEmpty();
    }

    @Test
    void dropsAnUnfinishedLastGroupSilently() throws CommandException {
        assertThat(text("QUJDRA")).isEqualTo("ABC");
        assertThat(text("QQ")).isEmpty();
        assertThat(text("=")).isEmpty();
    }

    @Test
    void countsPaddingAsDigitsAnywhere() throws CommandException {
        // Q=Q= is one group whose last digit is '=': two bytes, 0x40 0x04
        assertThat(GuestBase64.decode("Q=Q=QQ==QUJD")).containsExactly(0x40, 0x04, 'A', 'A', 'B', 'C');
    }

    @Test
    void refusesAnythingOutsideTheAlphabetAndNewline() {
        for (String bad : new String[] {"QUJD!", "QUJD\r\n", "QU JD", "QUJD\u0000", "QUJD\u00e9", "QU-_"}) {
            assertThatThrownBy(() -> GuestBase64.decode(bad)).as(bad).isInstanceOf(CommandException.class)
                    .hasMessage("Base64 data contains invalid characters");
        }
    }

    private static String text(String b64) throws CommandException {
        return new String(GuestBase64.decode(b64), StandardCharsets.ISO_8859_1);
    }
}
