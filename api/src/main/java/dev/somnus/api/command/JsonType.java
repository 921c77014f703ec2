package dev.somnus.api.command;

/**
 * The JSON types a parameter can declare. {@link #wireName()} is the word qemu-ga uses in
 * {@code Invalid parameter type for '<p>', expected: <type>}.
 */
public enum JsonType {
    /** A JSON integer in the int64 range ({@code Long}). */
    INTEGER("integer"),
    /** Any JSON number ({@code Long}, {@code BigInteger} or {@code Double}). */
    NUMBER("number"),
    STRING("string"),
    BOOLEAN("boolean"),
    OBJECT("object"),
    ARRAY("array"),
    /** Any JSON value, including null. */
    ANY("any");

    private final String wireName;

    JsonType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
