package dev.somnus.runtime.qmp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Writes Java values as qemu's JSON writer does (qga-reference §1.2): separators {@code ": "} and
 * {@code ", "} and no other whitespace; pure ASCII output with upper-case {@code \}{@code uXXXX},
 * short escapes for {@code \b \f \n \r \t}, surrogate pairs above U+FFFF, U+FFFD for what qemu
 * cannot hold (lone surrogates, noncharacters); doubles as {@code %.17g}; object members in QDict
 * order.
 *
 * <p>Values: {@code Map<String, ?>}, {@code Collection<?>} or {@code Object[]}, {@code String},
 * {@code Boolean}, {@code Long}/{@code Integer}/{@code Short}/{@code Byte}, {@code BigInteger}
 * (written as an integer inside the uint64 range, else as a double, like a QNum), {@code Double}/
 * {@code Float} and other numbers (as doubles), and {@code null}.
 */
public final class JsonWriter {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private JsonWriter() {
    }

    /**
     * Appends {@code value}.
     *
     * @throws IllegalArgumentException for a value of no JSON type (the buffer then holds a partial
     *         text; callers that must not send it truncate back)
     */
    public static void writeValue(GrowableBytes out, Object value) {
        if (value == null) {
            out.putAscii("null");
        } else if (value instanceof String) {
            writeString(out, (String) value);
        } else if (value instanceof Map) {
            writeObject(out, (Map<?, ?>) value);
        } else if (value instanceof Collection) {
            writeArray(out, (Collection<?>) value);
        } else if (value instanceof Boolean) {
            out.putAscii((Boolean) value ? "true" : "false");
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            out.putLong(((Number) value).longValue());
        } else if (value instanceof BigInteger) {
            BigInteger big = (BigInteger) value;
            if (big.signum() >= 0 && big.compareTo(UINT64_MAX) <= 0 || big.bitLength() < 64) {
                out.putAscii(big.toString());
            } else {
                out.putAscii(DoubleFormat.format(big.doubleValue()));
            }
        } else if (value instanceof BigDecimal || value instanceof Number) {
            out.putAscii(DoubleFormat.format(((Number) value).doubleValue()));
        } else if (value instanceof Object[]) {
            writeArray(out, java.util.Arrays.asList((Object[]) value));
        } else {
            throw new IllegalArgumentException("no JSON form for a " + value.getClass().getName());
        }
    }

    private static void writeObject(GrowableBytes out, Map<?, ?> map) {
        if (map.isEmpty()) {
            out.put('{');
            out.put('}');
            return;
        }
        out.put('{');
        String[] keys = QDictOrder.orderedKeys(map);
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) {
                out.put(',');
                out.put(' ');
            }
            writeString(out, keys[i]);
            out.put(':');
            out.put(' ');
            writeValue(out, map.get(keys[i]));
        }
        out.put('}');
    }

    private static void writeArray(GrowableBytes out, Collection<?> list) {
        out.put('[');
        boolean first = true;
        for (Object element : list) {
            if (!first) {
                out.put(',');
                out.put(' ');
            }
            first = false;
            writeValue(out, element);
        }
        out.put(']');
    }

    /** Appends a quoted, escaped string. */
    public static void writeString(GrowableBytes out, String s) {
        out.put('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                if (c == '"' || c == '\\') {
                    out.put('\\');
                }
                out.put(c);
                continue;
            }
            switch (c) {
                case '\b' -> escape(out, 'b');
                case '\f' -> escape(out, 'f');
                case '\n' -> escape(out, 'n');
                case '\r' -> escape(out, 'r');
                case '\t' -> escape(out, 't');
                default -> {
                    int cp = c;
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        cp = Character.toCodePoint(c, s.charAt(++i));
                    }
                    if (!ModifiedUtf8.isValid(cp)) {
                        cp = 0xFFFD;
                    }
                    if (cp > 0xFFFF) {
                        hex4(out, 0xD800 + ((cp - 0x10000) >> 10));
                        hex4(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
                    } else {
                        hex4(out, cp);
                    }
                }
            }
        }
        out.put('"');
    }

    private static void escape(GrowableBytes out, char c) {
        out.put('\\');
        out.put(c);
    }

    private static void hex4(GrowableBytes out, int v) {
        out.put('\\');
        out.put('u');
        out.put(HEX[(v >> 12) & 0xF]);
        out.put(HEX[(v >> 8) & 0xF]);
        out.put(HEX[(v >> 4) & 0xF]);
        out.put(HEX[v & 0xF]);
    }
}
