package dev.somnus.launcher;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The subset of GLib's key-file format that qemu-ga's configuration uses: groups, {@code key=value}
 * lines, {@code #} comments, blank lines, string escapes and booleans. The error texts are GLib's,
 * because qemu-ga prints them after {@code error loading configuration from path: <path>, }
 * (qga-reference §3.1); they were checked against qemu-ga 7.2.22.
 */
final class KeyFile {

    /** A key file that GLib would refuse, with GLib's message. */
    static final class KeyFileException extends Exception {
        private static final long serialVersionUID = 1L;

        KeyFileException(String message) {
            super(message);
        }
    }

    /** group → key → raw value (escapes still in place, like GLib stores it). */
    private final Map<String, Map<String, byte[]>> groups = new LinkedHashMap<>();

    private KeyFile() {
    }

    static KeyFile parse(byte[] content) throws KeyFileException {
        KeyFile file = new KeyFile();
        Map<String, byte[]> current = null;
        int start = 0;
        while (start < content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            int lineEnd = end;
            if (lineEnd > start && content[lineEnd - 1] == '\r') {
                lineEnd--;
            }
            current = file.parseLine(content, start, lineEnd, current);
            start = end + 1;
        }
        return file;
    }

    private Map<String, byte[]> parseLine(byte[] content, int from, int to, Map<String, byte[]> current)
            throws KeyFileException {
        int start = from;
        while (start < to && isSpace(content[start])) {
            start++;
        }
        if (start == to || content[start] == '#') {
            return current;
        }
        if (content[start] == '[') {
            int close = indexOf(content, start, to, (byte) ']');
            int after = close + 1;
            while (close >= 0 && after < to && isSpace(content[after])) {
                after++;
            }
            if (close > start + 1 && after == to) {
                String name = new String(content, start + 1, close - start - 1, StandardCharsets.UTF_8);
                return groups.computeIfAbsent(name, n -> new HashMap<>());
            }
            throw notAPair(content, start, to);
        }
        int equals = indexOf(content, start, to, (byte) '=');
        if (equals <= start) {
            throw notAPair(content, start, to);
        }
        if (current == null) {
            throw new KeyFileException("Key file does not start with a group");
        }
        int keyEnd = equals;
        while (keyEnd > start && isSpace(content[keyEnd - 1])) {
            keyEnd--;
        }
        int valueStart = equals + 1;
        while (valueStart < to && isSpace(content[valueStart])) {
            valueStart++;
        }
        String key = new String(content, start, keyEnd - start, StandardCharsets.UTF_8);
        byte[] value = new byte[to - valueStart];
        System.arraycopy(content, valueStart, value, 0, value.length);
        current.put(key, value);
        return current;
    }

    private static KeyFileException notAPair(byte[] content, int from, int to) {
        return new KeyFileException("Key file contains line \u201c"
                + new String(content, from, to - from, StandardCharsets.UTF_8)
                + "\u201d which is not a key-value pair, group, or comment");
    }

    /** Hands the string value of {@code key} to {@code use}, if the key is there. */
    void ifString(String group, String key, Consumer<String> use) throws KeyFileException {
        if (hasKey(group, key)) {
            use.accept(getString(group, key));
        }
    }

    /** Hands the boolean value of {@code key} to {@code use}, if the key is there. */
    void ifBoolean(String group, String key, Consumer<Boolean> use) throws KeyFileException {
        if (hasKey(group, key)) {
            use.accept(getBoolean(group, key));
        }
    }

    boolean hasKey(String group, String key) {
        Map<String, byte[]> keys = groups.get(group);
        return keys != null && keys.containsKey(key);
    }

    /** The value with GLib's string escapes ({@code \s \n \t \r \\}) resolved. */
    String getString(String group, String key) throws KeyFileException {
        byte[] raw = groups.get(group).get(key);
        String value;
        try {
            value = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new KeyFileException("Key file contains key \u201c" + key + "\u201d with value \u201c"
                    + new String(raw, StandardCharsets.UTF_8) + "\u201d which is not UTF-8");
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == value.length()) {
                throw uninterpretable(key);
            }
            switch (value.charAt(i)) {
                case 's': out.append(' '); break;
                case 'n': out.append('\n'); break;
                case 't': out.append('\t'); break;
                case 'r': out.append('\r'); break;
                case '\\': out.append('\\'); break;
                default: throw uninterpretable(key);
            }
        }
        return out.toString();
    }

    /** GLib booleans: exactly {@code true}/{@code 1} or {@code false}/{@code 0}, trailing blanks allowed. */
    boolean getBoolean(String group, String key) throws KeyFileException {
        String value = new String(groups.get(group).get(key), StandardCharsets.UTF_8).stripTrailing();
        switch (value) {
            case "true":
            case "1":
                return true;
            case "false":
            case "0":
                return false;
            default:
                throw uninterpretable(key);
        }
    }

    private static KeyFileException uninterpretable(String key) {
        return new KeyFileException(
                "Key file contains key \u201c" + key + "\u201d which has a value that cannot be interpreted.");
    }

    /** GLib's escaping for a string value written with {@code g_key_file_set_string}. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case ' ': out.append(i == 0 ? "\\s" : " "); break;
                case '\n': out.append("\\n"); break;
                case '\t': out.append("\\t"); break;
                case '\r': out.append("\\r"); break;
                case '\\': out.append("\\\\"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0B;
    }

    private static int indexOf(byte[] content, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (content[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
