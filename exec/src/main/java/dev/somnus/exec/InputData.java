package dev.somnus.exec;

import dev.somnus.api.command.CommandException;

/**
 * guest-exec's {@code input-data}, decoded as qemu-ga 7.2 decodes it (util/base64.c
 * qbase64_decode): only {@code A-Za-z0-9+/=} and newline are accepted, else {@code Base64 data
 * contains invalid characters}; then GLib's lenient g_base64_decode: newlines are skipped, every
 * full group of four yields three bytes less one per '=' among its last two characters, and a
 * trailing incomplete group is dropped without complaint ({@code aGVsbG8} is {@code hel}).
 * Java's strict decoders would refuse inputs qemu-ga accepts, so this is done by hand.
 */
final class InputData {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private InputData() {
    }

    static byte[] decode(String text) throws CommandException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '=' && c != '\n' && ALPHABET.indexOf(c) < 0) {
                throw new CommandException("Base64 data contains invalid characters");
            }
        }
        byte[] out = new byte[text.length() / 4 * 3 + 3];
        int length = 0;
        int group = 0;
        int inGroup = 0;
        char last = 0;
        char beforeLast = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                continue; // not in GLib's rank table: skipped
            }
            beforeLast = last;
            last = c;
            group = (group << 6) | (c == '=' ? 0 : ALPHABET.indexOf(c));
            if (++inGroup == 4) {
                out[length++] = (byte) (group >> 16);
                if (beforeLast != '=') {
                    out[length++] = (byte) (group >> 8);
                }
                if (last != '=') {
                    out[length++] = (byte) group;
                }
                inGroup = 0;
            }
        }
        return java.util.Arrays.copyOf(out, length);
    }
}
