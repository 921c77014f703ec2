package dev.somnus.resources;

/**
 * The C library's number conversions that qemu-ga's parsers rely on, with their quirks: leading
 * white space and a sign are accepted, {@code strtoul} negates in unsigned arithmetic ("-1" is
 * 2^64-1), out-of-range values saturate, and text without digits converts nothing.
 */
final class CNumbers {

    /** One integer conversion: the value (unsigned ones as their 64 bits) and where it stopped. */
    record Conversion(long value, int end, boolean converted) {
    }

    /** One floating-point conversion and where it stopped. */
    record DoubleConversion(double value, int end, boolean converted) {
    }

    private CNumbers() {
    }

    /** {@code strtoul(s + from, &end, base)} for base 10 or 16. */
    static Conversion strtoul(String s, int from, int base) {
        return convert(s, from, base, false);
    }

    /** {@code strtol(s + from, &end, base)} for base 10 or 16. */
    static Conversion strtol(String s, int from, int base) {
        return convert(s, from, base, true);
    }

    private static Conversion convert(String s, int from, int base, boolean signed) {
        int i = skipSpace(s, from);
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (base == 16 && i + 1 < s.length() && s.charAt(i) == '0' && (s.charAt(i + 1) | 0x20) == 'x'
                && i + 2 < s.length() && Character.digit(s.charAt(i + 2), 16) >= 0) {
            i += 2;
        }
        int digitsFrom = i;
        long magnitude = 0;
        boolean overflow = false;
        while (i < s.length() && s.charAt(i) < 0x80 && Character.digit(s.charAt(i), base) >= 0) {
            int digit = Character.digit(s.charAt(i), base);
            // unsigned 64-bit accumulation with overflow detection
            if (Long.compareUnsigned(magnitude, Long.divideUnsigned(-1L - digit, base)) > 0) {
                overflow = true;
            } else {
                magnitude = magnitude * base + digit;
            }
            i++;
        }
        if (i == digitsFrom) {
            return new Conversion(0, from, false);
        }
        long value;
        if (signed) {
            if (negative) {
                value = overflow || Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0 ? Long.MIN_VALUE : -magnitude;
            } else {
                value = overflow || magnitude < 0 ? Long.MAX_VALUE : magnitude;
            }
        } else {
            value = overflow ? -1L : negative ? -magnitude : magnitude;
        }
        return new Conversion(value, i, true);
    }

    /** {@code atoi}: strtol in base 10, cut to an int. */
    static int atoi(String s, int from) {
        return (int) strtol(s, from, 10).value();
    }

    /**
     * {@code strtod(s + from, &end)} in the C locale, for the decimal forms the kernel writes
     * (and inf/nan); the value is correctly rounded like glibc's.
     */
    static DoubleConversion strtod(String s, int from) {
        int i = skipSpace(s, from);
        int start = i;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        String rest = s.substring(i).toLowerCase(java.util.Locale.ROOT);
        for (String word : new String[] {"infinity", "inf", "nan"}) {
            if (rest.startsWith(word)) {
                boolean negative = s.charAt(start) == '-';
                double value = word.equals("nan") ? Double.NaN
                        : negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                return new DoubleConversion(value, i + word.length(), true);
            }
        }
        int digits = 0;
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return new DoubleConversion(0, from, false);
        }
        if (i < s.length() && (s.charAt(i) | 0x20) == 'e') {
            int e = i + 1;
            if (e < s.length() && (s.charAt(e) == '+' || s.charAt(e) == '-')) {
                e++;
            }
            if (e < s.length() && isDigit(s.charAt(e))) {
                while (e < s.length() && isDigit(s.charAt(e))) {
                    e++;
                }
                i = e;
            }
        }
        return new DoubleConversion(Double.parseDouble(s.substring(start, i)), i, true);
    }

    /** C's isspace in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    static int skipSpace(String s, int from) {
        int i = from;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
