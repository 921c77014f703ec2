package dev.somnus.network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sscanf rules qemu-ga's parsing relies on (glibc stdio-common/vfscanf). */
class ScanfTest {

    @Test
    void wordsStopAtWhiteSpaceOrTheWidth() {
        Scanf in = new Scanf(" \teth0\tfd00000000000000000000000000000000ff");
        assertThat(in.word(Integer.MAX_VALUE)).isEqualTo("eth0");
        assertThat(in.word(32)).isEqualTo("fd000000000000000000000000000000");
        assertThat(in.word(32)).isEqualTo("00ff");
        assertThat(in.word(32)).isNull();
    }

    @Test
    void decimalsTakeASignAndStopAtTheFirstNonDigit() {
        Scanf in = new Scanf("  -12 +7 42abc");
        assertThat(in.decimal()).isEqualTo(-12L);
        assertThat(in.decimal()).isEqualTo(7L);
        assertThat(in.decimal()).isEqualTo(42L);
        assertThat(in.decimal()).isNull();
        assertThat(in.word(10)).isEqualTo("abc");
    }

    @Test
    void decimalsSaturateAsStrtoll() {
        assertThat(new Scanf("99999999999999999999").decimal()).isEqualTo(Long.MAX_VALUE);
        assertThat(new Scanf("-99999999999999999999").decimal()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void hexTakesUpperAndLowerCaseAndAnOptional0xPrefix() {
        Scanf in = new Scanf("010200C0 80200001 0x1f 0xg");
        assertThat(in.hex()).isEqualTo(0x010200C0L);
        assertThat(in.hex()).isEqualTo(0x80200001L);
        assertThat(in.hex()).isEqualTo(0x1fL);
        // "0x" without a hex digit after it: the 0 is the number, "xg" is left
        assertThat(in.hex()).isEqualTo(0L);
        assertThat(in.word(10)).isEqualTo("xg");
    }

    @Test
    void aFailedConversionConsumesNothing() {
        Scanf in = new Scanf(" zz");
        assertThat(in.hex()).isNull();
        assertThat(in.decimal()).isNull();
        assertThat(in.word(10)).isEqualTo("zz");
    }

    @Test
    void hexSaturatesAsStrtoul() {
        assertThat(new Scanf("1ffffffffffffffff").hex()).isEqualTo(-1L);
        assertThat(new Scanf("ffffffffffffffff").hex()).isEqualTo(-1L);
    }
}
