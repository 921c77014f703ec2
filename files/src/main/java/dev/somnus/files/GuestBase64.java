package dev.somnus.files;

import dev.somnus.api.command.CommandException;
import java.util.Arrays;

/**
 * Decodes {@code buf-b64} as qemu-ga 7.2 does: {@code qbase64_decode} (util/base64.c) accepts only
 * {@code [A-Za-z0-9+/=\n]}, so MIME-wrapped text (Proxmox) passes, then GLib's
 * {@code g_base64_decode} decodes leniently: line breaks are skipped, {@code =} counts as a zero
 * digit that drops the bytes it pads, and an unfinished last group is dropped silently.
 * {@code java.util.Base64} rejects or reads several of these differently, hence this class.
 */
final class GuestBase64 {

    private GuestBase64() {
    }

    static byte[] decode(String text) throws CommandException {
        for (int i = 0; i < text.length(); i++) {
            if (rank(text.charAt(i)) < 0 && text.charAt(i) != '\n') {
                // a JSON \u0000 lands here too: qemu's parser turns it into the bytes C0 80
                throw new CommandException("Base64 data contains invalid characters");
            }
        }
        byte[] out = new byte[text.length() / 4 * 3 + 1];
        int length = 0;
        int bits = 0;
        int digits = 0;
        char last = 0;
        char beforeLast = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int rank = rank(c);
            if (rank < 0) {
                continue;
            }
            beforeLast = last;
            last = c;
            bits = bits << 6 | rank;
            if (++digits == 4) {
                out[length++] = (byte) (bits >> 16);
                if (beforeLast != '=') {
                    out[length++] = (byte) (bits >> 8);
                }
                if (last != '=') {
                    out[length++] = (byte) bits;
                }
                digits = 0;
            }
        }
        return Arrays.copyOf(out, length);
    }

    /** GLib's {@code mime_base64_rank}: the digit's value, 0 for {@code =}, -1 for anything else. */
    private static int rank(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return switch (c) {
            case '+' -> 62;
            case '/' -> 63;
            case '=' -> 0;
            default -> -1;
        };
    }
}
