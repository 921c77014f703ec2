package dev.somnus.credentials;

import dev.somnus.api.command.CommandException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code keys} argument of add and remove, and what of a key may appear in an audit line.
 */
final class PublicKeys {

    private PublicKeys() {
    }

    /**
     * The keys as qemu-ga takes them: first the QAPI visitor's type check of every element
     * ({@code ['str']}), then {@code check_openssh_pub_keys}' sanity check, in the given order: no
     * key may start with {@code #} or contain a newline. Nothing more is checked (an empty string
     * passes, as in qemu-ga 7.2).
     */
    static List<String> fromArgument(Object argument) throws CommandException {
        List<?> elements = (List<?>) argument;
        List<String> keys = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            if (!(elements.get(i) instanceof String key)) {
                throw new CommandException("Invalid parameter type for 'keys[" + i + "]', expected: string");
            }
            keys.add(key);
        }
        for (String key : keys) {
            if (key.startsWith("#") || key.indexOf('\n') >= 0) {
                throw new CommandException("invalid OpenSSH public key: '" + key + "'");
            }
        }
        return keys;
    }

    /**
     * The keys as an audit line shows them: {@code ssh-ed25519 SHA256:<base64>} like
     * {@code ssh-keygen -l}, never the key itself (nor its comment, which is often an address).
     * A line that holds no key blob (a key type followed by base64 whose first string is that
     * type) shows as {@code (no key)}.
     */
    static String fingerprints(List<String> keys) {
        return keys.stream().map(PublicKeys::fingerprint).collect(Collectors.joining(", ", "[", "]"));
    }

    static String fingerprint(String line) {
        String[] tokens = line.trim().split("[ \t]+");
        for (int i = 1; i < tokens.length; i++) {
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(tokens[i]);
            } catch (IllegalArgumentException e) {
                continue;
            }
            byte[] type = tokens[i - 1].getBytes(StandardCharsets.UTF_8);
            if (blob.length >= 4 + type.length && ByteBuffer.wrap(blob).getInt() == type.length
                    && Arrays.equals(blob, 4, 4 + type.length, type, 0, type.length)) {
                return tokens[i - 1] + " SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(sha256(blob));
            }
        }
        return "(no key)";
    }

    private static byte[] sha256(byte[] blob) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(blob);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
