package dev.somnus.network;

/**
 * The few {@code sscanf} conversions qemu-ga reads /proc/net files with ({@code %s}, {@code %32s},
 * {@code %x}, {@code %lld}, {@code %d}), with glibc's rules, so that a line qemu-ga accepts or
 * skips is accepted or skipped here too: each conversion skips leading white space, numbers take
 * an optional sign (and {@code 0x} for hex) and stop at the first character that is not a digit,
 * out-of-range values saturate as {@code strtoll}/{@code strtoul} do. A failed conversion returns
 * null; qemu-ga then skips the line because sscanf returned fewer conversions than it needs.
 */
final class Scanf {

    private final String text;
    private int position;

    Scanf(String text) {
        this.text = text;
    }

    /** {@code %s} with a field width ({@link Integer#MAX_VALUE} for none): a run of non-white-space. */
    String word(int width) {
        skipSpace();
        int start = position;
        while (position < text.length() && position - start < width && !isSpace(text.charAt(position))) {
            position++;
        }
        return position == start ? null : text.substring(start, position);
    }

    /** {@code %lld}: strtoll, saturating at the long range. */
    Long decimal() {
        skipSpace();
        int start = position;
        boolean negative = sign();
        int digits = position;
        long value = 0;
        boolean overflow = false;
        while (position < text.length() && text.charAt(position) >= '0'
                && text.charAt(position) <= '9') {
            int digit = text.charAt(position) - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                overflow = true;
            } else {
                value = value * 10 + digit;
            }
            position++;
        }
        if (position == digits) {
            position = start;
            return null;
        }
        if (overflow) {
            return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return negative ? -value : value;
    }

    /** {@code %x}: strtoul's value as 64 bits (the caller narrows it as the C variable does). */
    Long hex() {
        skipSpace();
        int start = position;
        boolean negative = sign();
        // "0x" is a prefix only when a hex digit follows; otherwise the 0 is the number
        if ((text.startsWith("0x", position) || text.startsWith("0X", position))
                && position + 2 < text.length() && hexDigit(text.charAt(position + 2)) >= 0) {
            position += 2;
        }
        int digits = position;
        long value = 0;
        boolean overflow = false;
        while (position < text.length() && hexDigit(text.charAt(position)) >= 0) {
            if ((value >>> 60) != 0) {
                overflow = true;
            }
            value = (value << 4) | hexDigit(text.charAt(position));
            position++;
        }
        if (position == digits) {
            position = start;
            return null;
        }
        if (overflow) {
            return -1L; // ULONG_MAX
        }
        return negative ? -value : value;
    }

    private boolean sign() {
        if (position < text.length() && (text.charAt(position) == '-' || text.charAt(position) == '+')) {
            return text.charAt(position++) == '-';
        }
        return false;
    }

    private void skipSpace() {
        while (position < text.length() && isSpace(text.charAt(position))) {
            position++;
        }
    }

    /** C's isspace in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
