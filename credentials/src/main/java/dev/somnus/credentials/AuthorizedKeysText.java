package dev.somnus.credentials;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The lines of an authorized_keys file and the three edits qemu-ga makes to them
 * (qga/commands-posix-ssh.c). Lines are held as their raw bytes (one ISO-8859-1 char per byte), so
 * that a rewrite gives back every line it keeps byte for byte, whatever its encoding; keys from the
 * wire are compared in their UTF-8 bytes, as qemu-ga's {@code strcmp} does. As in qemu-ga the text
 * ends at the first NUL byte ({@code g_strsplit} works on a C string).
 *
 * <p>Deliberate difference: qemu-ga splits at every {@code \n} and joins with {@code \n}, so a file
 * that ends in a newline gets a blank line before the first key it adds, and the file it writes
 * ends without a newline (a later {@code echo key >> authorized_keys} then glues two keys into one
 * broken line). Here the newline ends a line: the file written ends in one, and no blank line is
 * made. Comments, blank lines and duplicates already in the file are kept, as in qemu-ga.
 */
final class AuthorizedKeysText {

    private final List<String> lines;

    private AuthorizedKeysText(List<String> lines) {
        this.lines = List.copyOf(lines);
    }

    static AuthorizedKeysText empty() {
        return new AuthorizedKeysText(List.of());
    }

    static AuthorizedKeysText parse(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            text = text.substring(0, nul);
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return new AuthorizedKeysText(lines);
    }

    byte[] render() {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    int lineCount() {
        return lines.size();
    }

    /**
     * What guest-ssh-get-authorized-keys answers: every line stripped of ASCII white space at both
     * ends ({@code g_strstrip}), without blank lines and lines starting with {@code #}, in reverse
     * file order: qemu-ga 7.2 builds the list with {@code QAPI_LIST_PREPEND}.
     */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (String line : lines) {
            String stripped = stripAsciiSpace(line);
            if (!stripped.isEmpty() && stripped.charAt(0) != '#') {
                keys.add(new String(stripped.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            }
        }
        Collections.reverse(keys);
        return keys;
    }

    /**
     * guest-ssh-add-authorized-keys: every key that is not yet a line (compared whole, not
     * stripped) is appended, in the order given; a key given twice is added once.
     */
    Edit add(List<String> keys) {
        List<String> after = new ArrayList<>(lines);
        List<String> added = new ArrayList<>();
        for (String key : keys) {
            String raw = raw(key);
            if (!after.contains(raw)) {
                after.add(raw);
                added.add(key);
            }
        }
        return new Edit(new AuthorizedKeysText(after), added);
    }

    /** guest-ssh-remove-authorized-keys: every line equal to one of the keys goes, all others stay. */
    Edit remove(List<String> keys) {
        Set<String> gone = new LinkedHashSet<>();
        for (String key : keys) {
            gone.add(raw(key));
        }
        List<String> after = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String line : lines) {
            if (gone.contains(line)) {
                removed.add(new String(line.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            } else {
                after.add(line);
            }
        }
        return new Edit(new AuthorizedKeysText(after), removed);
    }

    /**
     * The outcome of an edit.
     *
     * @param after the new text
     * @param changed the keys added, or the lines removed (one entry per line)
     */
    record Edit(AuthorizedKeysText after, List<String> changed) {
    }

    private static String raw(String key) {
        return new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** glib's g_strstrip: the C locale's isspace, i.e. space, \t, \n, \v, \f and \r. */
    private static String stripAsciiSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isAsciiSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isAsciiSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isAsciiSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }
}
