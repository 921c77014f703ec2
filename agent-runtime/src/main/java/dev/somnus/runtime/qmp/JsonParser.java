package dev.somnus.runtime.qmp;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * qemu 7.2's recursive-descent JSON parser ({@code json-parser.c}) over the tokens of one message,
 * with its error texts and their precedence (the first error found is the one reported;
 * qga-reference §1.4).
 *
 * <p>Values: object = {@code LinkedHashMap<String, Object>} (in request order, which
 * {@link QDictOrder} needs), array = {@code ArrayList<Object>}, string = {@code String}, integer =
 * {@code Long} if it fits int64, else {@code BigInteger} if it fits uint64, else {@code Double}
 * (qemu's QNum rules), other numbers = {@code Double}, {@code Boolean}, and {@code null}.
 */
final class JsonParser {

    /** A syntax error; the message is the reply's text. */
    static final class SyntaxError extends Exception {

        private static final long serialVersionUID = 1L;

        SyntaxError(String desc) {
            super(desc, null, false, false);
        }
    }

    /** qemu formats parse errors into a 1024-byte buffer: longer texts are cut to 1023 bytes. */
    private static final int MESSAGE_MAX = 1023;
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /**
     * Strings nearly every request carries, handed out as shared constants: no allocation, and
     * their hash codes are already computed for the map and switch lookups of dispatch.
     */
    private static final String[][] COMMON_BY_LENGTH = new String[32][];

    static {
        String[] common = {"execute", "arguments", "id", "guest-ping", "guest-sync", "guest-sync-delimited",
            "guest-info"};
        for (String s : common) {
            String[] same = COMMON_BY_LENGTH[s.length()];
            String[] grown = same == null ? new String[1] : java.util.Arrays.copyOf(same, same.length + 1);
            grown[grown.length - 1] = s;
            COMMON_BY_LENGTH[s.length()] = grown;
        }
    }

    private final StringBuilder scratch = new StringBuilder();

    private byte[] text;
    private int[] types;
    private int[] starts;
    private int[] lengths;
    private int count;
    private int pos;

    Object parse(byte[] text, int[] types, int[] starts, int[] lengths, int count) throws SyntaxError {
        this.text = text;
        this.types = types;
        this.starts = starts;
        this.lengths = lengths;
        this.count = count;
        this.pos = 0;
        try {
            return parseValue();
        } finally {
            this.text = null;
            this.types = null;
            this.starts = null;
            this.lengths = null;
        }
    }

    private Object parseValue() throws SyntaxError {
        if (pos >= count) {
            throw error("premature EOI");
        }
        switch (types[pos]) {
            case JsonLexer.LCURLY:
                return parseObject();
            case JsonLexer.LSQUARE:
                return parseArray();
            case JsonLexer.STRING:
                return parseString(pos++);
            case JsonLexer.INTEGER:
                return parseInteger(pos++);
            case JsonLexer.FLOAT:
                return parseFloat(pos++);
            case JsonLexer.KEYWORD_TOKEN:
                return parseKeyword(pos++);
            default:
                throw error("expecting value");
        }
    }

    private Map<String, Object> parseObject() throws SyntaxError {
        pos++;
        Map<String, Object> dict = new LinkedHashMap<>();
        if (pos >= count) {
            throw error("premature EOI");
        }
        if (types[pos] == JsonLexer.RCURLY) {
            pos++;
            return dict;
        }
        parsePair(dict);
        int token = next();
        while (types[token] != JsonLexer.RCURLY) {
            if (types[token] != JsonLexer.COMMA) {
                throw error("expected separator in dict");
            }
            parsePair(dict);
            token = next();
        }
        return dict;
    }

    private void parsePair(Map<String, Object> dict) throws SyntaxError {
        if (pos >= count) {
            throw error("premature EOI");
        }
        Object key = parseValue();
        if (!(key instanceof String)) {
            throw error("key is not a string in object");
        }
        if (types[next()] != JsonLexer.COLON) {
            throw error("missing : in object pair");
        }
        // parseValue never returns without a value or an error, so qemu's
        // "Missing value in dict" cannot come first
        Object value = parseValue();
        // checked after the value, as in qemu: '{"a":1,"a":}' is "expecting value"
        if (dict.containsKey(key)) {
            throw error("duplicate key");
        }
        dict.put((String) key, value);
    }

    private List<Object> parseArray() throws SyntaxError {
        pos++;
        List<Object> list = new ArrayList<>();
        if (pos >= count) {
            throw error("premature EOI");
        }
        if (types[pos] == JsonLexer.RSQUARE) {
            pos++;
            return list;
        }
        list.add(parseValue());
        int token = next();
        while (types[token] != JsonLexer.RSQUARE) {
            if (types[token] != JsonLexer.COMMA) {
                throw error("expected separator in list");
            }
            list.add(parseValue());
            token = next();
        }
        return list;
    }

    /** Pops the next token. */
    private int next() throws SyntaxError {
        if (pos >= count) {
            throw error("premature EOI");
        }
        return pos++;
    }

    private Object parseKeyword(int token) throws SyntaxError {
        int start = starts[token];
        int length = lengths[token];
        if (matches(start, length, "true")) {
            return Boolean.TRUE;
        }
        if (matches(start, length, "false")) {
            return Boolean.FALSE;
        }
        if (matches(start, length, "null")) {
            return null;
        }
        throw error("invalid keyword '" + new String(text, start, length, StandardCharsets.ISO_8859_1) + "'");
    }

    private boolean matches(int start, int length, String word) {
        if (length != word.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (text[start + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private Object parseInteger(int token) {
        int start = starts[token];
        int length = lengths[token];
        boolean negative = text[start] == '-';
        int digits = negative ? length - 1 : length;
        if (digits <= 18) {
            long v = 0;
            for (int i = start + (negative ? 1 : 0); i < start + length; i++) {
                v = v * 10 + (text[i] - '0');
            }
            return negative ? -v : v;
        }
        if (digits == 19) {
            // a random 62-bit guest-sync id has 19 digits: still a long unless it overflows
            long v = 0;
            boolean fits = true;
            for (int i = start + (negative ? 1 : 0); i < start + length && fits; i++) {
                long next = v * 10 + (text[i] - '0');
                fits = v <= Long.MAX_VALUE / 10 && next >= 0;
                v = next;
            }
            if (fits) {
                return negative ? -v : v;
            }
        }
        String literal = new String(text, start, length, StandardCharsets.ISO_8859_1);
        BigInteger big = new BigInteger(literal);
        if (big.bitLength() < 64) {
            return big.longValue();
        }
        if (!negative && big.compareTo(UINT64_MAX) <= 0) {
            return big;
        }
        return Double.parseDouble(literal);
    }

    private Object parseFloat(int token) {
        return Double.parseDouble(new String(text, starts[token], lengths[token], StandardCharsets.ISO_8859_1));
    }

    /** qemu's {@code parse_string}: escapes, surrogate pairs, modified UTF-8 validation. */
    private String parseString(int token) throws SyntaxError {
        final int start = starts[token];
        final int end = start + lengths[token];
        final int quote = text[start];
        int p = start + 1;
        boolean plain = true;
        for (int i = p; i < end - 1; i++) {
            int b = text[i];
            if (b < 0x20 || b == '\\') {
                // negative: a byte from 0x80
                plain = false;
                break;
            }
        }
        if (plain) {
            int length = end - 1 - p;
            String[] candidates = length < COMMON_BY_LENGTH.length ? COMMON_BY_LENGTH[length] : null;
            if (candidates != null) {
                for (String candidate : candidates) {
                    if (matches(p, length, candidate)) {
                        return candidate;
                    }
                }
            }
            return new String(text, p, length, StandardCharsets.ISO_8859_1);
        }
        StringBuilder out = scratch;
        out.setLength(0);
        while (text[p] != quote) {
            if (text[p] == '\\') {
                int escape = p++;
                switch (text[p++]) {
                    case '"' -> out.append('"');
                    case '\'' -> out.append('\'');
                    case '\\' -> out.append('\\');
                    case '/' -> out.append('/');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        int cp = hex4(p, end);
                        p += 4;
                        if (cp >= 0xD800 && cp <= 0xDBFF && p + 1 < end && text[p] == '\\' && text[p + 1] == 'u') {
                            int trailing = hex4(p + 2, end);
                            if (trailing >= 0xDC00 && trailing <= 0xDFFF) {
                                cp = 0x10000 + ((cp & 0x3FF) << 10) | (trailing & 0x3FF);
                                p += 6;
                            } else {
                                cp = -1;
                            }
                        }
                        if (!ModifiedUtf8.isValid(cp)) {
                            // the escape as written, up to the end of the token (a C string)
                            String written = ModifiedUtf8.decodeCString(text, escape, Math.min(p, end));
                            throw error(written + " is not a valid Unicode character");
                        }
                        out.appendCodePoint(cp);
                    }
                    default -> throw error("invalid escape sequence in string");
                }
            } else {
                long decoded = ModifiedUtf8.decode(text, p, end);
                int cp = ModifiedUtf8.codePoint(decoded);
                if (cp < 0) {
                    throw error("invalid UTF-8 sequence in string");
                }
                out.appendCodePoint(cp);
                p = ModifiedUtf8.end(decoded);
            }
        }
        return out.toString();
    }

    /** Four hex digits at {@code p}, or -1 (qemu's {@code cvt4hex}; the token's end reads as NUL). */
    private int hex4(int p, int end) {
        int cp = 0;
        for (int i = 0; i < 4; i++) {
            int c = p + i < end ? text[p + i] : 0;
            int digit = Character.digit(c, 16);
            if (digit < 0 || c > 'f') {
                return -1;
            }
            cp = (cp << 4) | digit;
        }
        return cp;
    }

    private static SyntaxError error(String message) {
        String bounded = message;
        // all our messages are ASCII except the escape text, where the cut is by bytes too
        if (bounded.length() > MESSAGE_MAX) {
            bounded = bounded.substring(0, MESSAGE_MAX);
        }
        return new SyntaxError("JSON parse error, " + bounded);
    }
}
