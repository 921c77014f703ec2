package dev.somnus.inventory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An os-release file read the way qemu-ga 7.2 reads it ({@code ga_parse_osrelease}, qga/commands-posix.c):
 * not as a shell file but as a GLib key file with {@code [os-release]\n} put in front, so GLib
 * 2.74's {@code g_key_file_load_from_data} rules apply: text up to the first NUL, valid UTF-8, every
 * line a comment, a blank, a {@code [group]} or a {@code key=value}, or the whole file is refused
 * (qemu-ga then tries the next file). Keys lose trailing blanks, values leading blanks only; a
 * later duplicate wins; keys after another {@code [group]} line are not in {@code os-release}.
 * {@link #field} then applies qemu-ga's {@code ga_osrelease_replace_special} to the raw value.
 */
final class OsRelease {

    private static final String GROUP = "os-release";

    private final Map<String, String> values;

    private OsRelease(Map<String, String> values) {
        this.values = values;
    }

    /** The file's {@code os-release} group, or empty where GLib refuses the file. */
    static Optional<OsRelease> parse(byte[] content) {
        int end = 0;
        while (end < content.length && content[end] != 0) {
            end++;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content, 0, end)).toString();
        } catch (CharacterCodingException e) {
            return Optional.empty(); // "file is not utf-8 encoded"
        }
        KeyFile keyFile = new KeyFile();
        String data = "[" + GROUP + "]\n" + text;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c != '\n') {
                line.append(c);
                continue;
            }
            // g_key_file_parse_data: one '\r' before the '\n' goes; blank lines are comments
            if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                line.setLength(line.length() - 1);
            }
            if (line.length() > 0 && !keyFile.parseLine(line.toString())) {
                return Optional.empty();
            }
            line.setLength(0);
        }
        if (line.length() > 0 && !keyFile.parseLine(line.toString())) {
            return Optional.empty();
        }
        Map<String, String> group = keyFile.groups.get(GROUP);
        return Optional.of(new OsRelease(group));
    }

    /** The value of {@code key} as qemu-ga reports it, or empty where the key is absent. */
    Optional<String> field(String key) {
        String raw = values.get(key);
        return raw == null ? Optional.empty() : Optional.of(replaceSpecial(raw));
    }

    /**
     * {@code ga_osrelease_replace_special}, bug for bug: a value not starting with {@code "} is cut
     * at its first space, then at its first {@code ;} (its test meant to spare single quotes too but
     * does not, so {@code 'a b'} gives {@code 'a}); a value in double quotes loses them and the
     * backslash before {@code $ ' " \ `}. An unclosed quote writes no terminator, so the copy's tail
     * keeps the last characters of the original ({@code "abc} gives {@code abcc}).
     */
    static String replaceSpecial(String raw) {
        char[] v = Arrays.copyOf(raw.toCharArray(), raw.length() + 1); // v[length] is the NUL
        if (v[0] != '"') {
            cutAt(v, ' ');
            cutAt(v, ';');
            return untilNul(v);
        }
        char quote = v[0];
        int p2 = 0;
        int p = 1;
        while (v[p] != 0) {
            if (v[p] == '\\') {
                p++;
                switch (v[p]) {
                    case '$', '\'', '"', '\\', '`' -> { }
                    default -> p--; // a backslash before anything else stays
                }
            } else if (v[p] == quote) {
                v[p2] = 0;
                break;
            }
            v[p2++] = v[p++];
        }
        return untilNul(v);
    }

    private static void cutAt(char[] v, char c) {
        for (int i = 0; v[i] != 0; i++) {
            if (v[i] == c) {
                v[i] = 0;
                return;
            }
        }
    }

    private static String untilNul(char[] v) {
        int n = 0;
        while (v[n] != 0) {
            n++;
        }
        return new String(v, 0, n);
    }

    /** The part of GLib's GKeyFile parser (gkeyfile.c, 2.74) that decides what an os-release file yields. */
    private static final class KeyFile {

        private final Map<String, Map<String, String>> groups = new HashMap<>();
        private String startGroup;
        private Map<String, String> current;
        private String currentName;

        /** g_key_file_parse_line; false where GLib sets a parse error. */
        boolean parseLine(String line) {
            int start = 0;
            while (start < line.length() && isSpace(line.charAt(start))) {
                start++;
            }
            String l = line.substring(start);
            if (l.isEmpty() || l.charAt(0) == '#') {
                return true;
            }
            if (isGroupLine(l)) {
                String name = l.substring(1, l.indexOf(']'));
                if (!isGroupName(name)) {
                    return false;
                }
                if (startGroup == null) {
                    startGroup = name;
                }
                current = groups.computeIfAbsent(name, n -> new HashMap<>());
                currentName = name;
                return true;
            }
            int equals = l.indexOf('=');
            if (equals <= 0) {
                return false; // not a key-value pair, group or comment (or an empty key)
            }
            int keyEnd = equals - 1;
            while (isSpace(l.charAt(keyEnd))) {
                keyEnd--;
            }
            String key = l.substring(0, keyEnd + 1);
            if (!isKeyName(key)) {
                return false;
            }
            int valueStart = equals + 1;
            while (valueStart < l.length() && isSpace(l.charAt(valueStart))) {
                valueStart++;
            }
            String value = l.substring(valueStart);
            if (currentName.equals(startGroup) && key.equals("Encoding") && !value.equalsIgnoreCase("UTF-8")) {
                return false; // "Key file contains unsupported encoding"
            }
            current.put(key, value);
            return true;
        }

        /** g_key_file_line_is_group: '[', a ']', then only blanks and tabs. */
        private static boolean isGroupLine(String l) {
            if (l.charAt(0) != '[') {
                return false;
            }
            int close = l.indexOf(']');
            if (close < 0) {
                return false;
            }
            for (int i = close + 1; i < l.length(); i++) {
                if (l.charAt(i) != ' ' && l.charAt(i) != '\t') {
                    return false;
                }
            }
            return true;
        }

        /** g_key_file_is_group_name: not empty, no brackets, no control characters. */
        private static boolean isGroupName(String name) {
            if (name.isEmpty()) {
                return false;
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c == '[' || c == ']' || c < 0x20 || c == 0x7F) {
                    return false;
                }
            }
            return true;
        }

        /**
         * g_key_file_is_key_name: no '=', '[' or ']' except one trailing locale {@code [xx_YY.enc@mod]},
         * no leading or trailing space.
         */
        private static boolean isKeyName(String key) {
            int q = 0;
            while (q < key.length() && key.charAt(q) != '=' && key.charAt(q) != '[' && key.charAt(q) != ']') {
                q++;
            }
            if (q == 0 || key.charAt(0) == ' ' || key.charAt(q - 1) == ' ') {
                return false;
            }
            if (q < key.length() && key.charAt(q) == '[') {
                q++;
                while (q < key.length()) {
                    int cp = key.codePointAt(q);
                    if (!(Character.isLetterOrDigit(cp) || cp == '-' || cp == '_' || cp == '.' || cp == '@')) {
                        break;
                    }
                    q += Character.charCount(cp);
                }
                if (q >= key.length() || key.charAt(q) != ']') {
                    return false;
                }
                q++;
            }
            return q >= key.length();
        }

        /** g_ascii_isspace. */
        private static boolean isSpace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
        }
    }
}
