package dev.somnus.inventory;

/**
 * GLib 2.74's {@code parse_constant_offset} and {@code parse_time} (gtimezone.c): {@code UTC},
 * {@code Z}, or {@code [+-]hh[[:]mm[[:]ss]]} as seconds east of UTC. They read a TZ variable that
 * names a fixed offset ({@code TZ=+05:30}, whose sign, unlike POSIX's, is east), a POSIX rule's
 * offsets and (as {@code rfc8536}, hours up to 167, colons required) its transition times.
 */
final class ConstantOffset {

    private ConstantOffset() {
    }

    /** The offset, or null where GLib refuses the text. */
    static Integer parse(String name, boolean rfc8536) {
        if (!rfc8536 && name.equals("UTC")) {
            return 0;
        }
        if (name.isEmpty()) {
            return null;
        }
        char first = name.charAt(0);
        if (first >= '0' && first <= '9') {
            return time(name, rfc8536);
        }
        String rest = name.substring(1);
        switch (first) {
            case 'Z':
                return !rfc8536 && rest.isEmpty() ? 0 : null;
            case '+':
                return time(rest, rfc8536);
            case '-':
                Integer t = time(rest, rfc8536);
                return t == null ? null : -t;
            default:
                return null;
        }
    }

    private static Integer time(String s, boolean rfc8536) {
        int i = 0;
        if (digit(s, i, '9') < 0) {
            return null;
        }
        int offset = 3600 * digit(s, i++, '9');
        if (i == s.length()) {
            return offset;
        }
        if (s.charAt(i) != ':') {
            if (digit(s, i, '9') < 0) {
                return null;
            }
            offset = offset * 10 + 3600 * digit(s, i++, '9');
            if (rfc8536) {
                if (digit(s, i, '9') >= 0) {
                    offset = offset * 10 + 3600 * digit(s, i++, '9');
                }
                if (offset > 167 * 3600) {
                    return null;
                }
            } else if (offset > 24 * 3600) {
                return null;
            }
            if (i == s.length()) {
                return offset;
            }
        }
        if (i < s.length() && s.charAt(i) == ':') {
            i++;
        } else if (rfc8536) {
            return null;
        }
        if (digit(s, i, '5') < 0 || digit(s, i + 1, '9') < 0) {
            return null;
        }
        offset += 600 * digit(s, i, '5') + 60 * digit(s, i + 1, '9');
        i += 2;
        if (i == s.length()) {
            return offset;
        }
        if (s.charAt(i) == ':') {
            i++;
        } else if (rfc8536) {
            return null;
        }
        if (digit(s, i, '5') < 0 || digit(s, i + 1, '9') < 0) {
            return null;
        }
        offset += 10 * digit(s, i, '5') + digit(s, i + 1, '9');
        i += 2;
        return i == s.length() ? offset : null;
    }

    /** The digit at {@code i} if it lies in '0'..{@code max}, else -1 (also past the end). */
    private static int digit(String s, int i, char max) {
        if (i >= s.length()) {
            return -1;
        }
        char c = s.charAt(i);
        return c >= '0' && c <= max ? c - '0' : -1;
    }
}
