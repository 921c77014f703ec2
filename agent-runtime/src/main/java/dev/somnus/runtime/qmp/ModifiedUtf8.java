package dev.somnus.runtime.qmp;

/**
 * qemu's view of text: "modified UTF-8" (UTF-8 where U+0000 is the two bytes C0 80) held in
 * NUL-terminated C strings. The parser, the writer and the stray-token error all decode with the
 * same rule, so the texts we answer (which byte runs become one {@code \uFFFD}, which code points
 * count as invalid) follow it exactly (qga-reference §1.2, §1.4).
 */
public final class ModifiedUtf8 {

    private static final int[] MIN_CODE_POINT = {0x80, 0x800, 0x10000, 0x200000, 0x4000000};

    private ModifiedUtf8() {
    }

    /**
     * Decodes the sequence at {@code pos}, reading no byte at or past {@code limit} (treated as the
     * C string's terminating NUL). Rules of qemu's {@code mod_utf8_codepoint}: an impossible byte
     * (FE, FF) or a stray continuation byte is one invalid byte; a lead byte with too few
     * continuation bytes is invalid up to the first non-continuation byte; a complete sequence is
     * invalid if overlong (except C0 80), a surrogate, a noncharacter or above U+10FFFF.
     *
     * @return the code point (or -1 when invalid) in the low 32 bits and the index just after the
     *         sequence in the high 32 bits
     */
    public static long decode(byte[] s, int pos, int limit) {
        if (pos >= limit || s[pos] == 0) {
            return pack(-1, pos);
        }
        int lead = s[pos] & 0xFF;
        int p = pos + 1;
        int cp;
        if (lead < 0x80) {
            cp = lead;
        } else if (lead >= 0xFE || (lead & 0x40) == 0) {
            cp = -1;
        } else {
            int len = 0;
            int mask = 0x80;
            while ((lead & mask) != 0) {
                len++;
                mask >>= 1;
            }
            cp = lead & (mask - 1);
            for (int i = 1; i < len; i++) {
                int b = p < limit ? s[p] & 0xFF : 0;
                if ((b & 0xC0) != 0x80) {
                    return pack(-1, p);
                }
                p++;
                cp = (cp << 6) | (b & 0x3F);
            }
            if (!isValid(cp) || (cp < MIN_CODE_POINT[len - 2] && !(cp == 0 && len == 2))) {
                cp = -1;
            }
        }
        return pack(cp, p);
    }

    public static int codePoint(long decoded) {
        return (int) decoded;
    }

    public static int end(long decoded) {
        return (int) (decoded >>> 32);
    }

    /**
     * Whether qemu can hold this code point in a string: not above U+10FFFF, not one of the 66
     * noncharacters, not a surrogate. Negative values are invalid.
     */
    public static boolean isValid(int cp) {
        return cp >= 0
                && cp <= 0x10FFFF
                && !(cp >= 0xFDD0 && cp <= 0xFDEF)
                && (cp & 0xFFFE) != 0xFFFE
                && !(cp >= 0xD800 && cp <= 0xDFFF);
    }

    /**
     * The text a C string of these bytes stands for when qemu writes it: cut at the first NUL,
     * every invalid sequence replaced by U+FFFD.
     */
    public static String decodeCString(byte[] s, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        int p = from;
        while (p < to && s[p] != 0) {
            long d = decode(s, p, to);
            int cp = codePoint(d);
            out.appendCodePoint(cp < 0 ? 0xFFFD : cp);
            p = end(d);
        }
        return out.toString();
    }

    private static long pack(int cp, int end) {
        return ((long) end << 32) | (cp & 0xFFFFFFFFL);
    }
}
