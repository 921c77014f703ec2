package dev.somnus.runtime.qmp;

import java.util.Arrays;

/**
 * Cuts a byte stream into JSON messages the way qemu's lexer and streamer do (qga-reference §1.1,
 * §1.4) and hands each one, parsed, to a {@link Listener}: a message ends when the open
 * {@code {}/{@code [} count returns to zero, or with its only token for a top-level scalar. State
 * persists between {@link #feed} calls, so bytes split at any point give the same messages.
 *
 * <p>Errors, each reported once through {@link Listener#error} and ending the current message:
 * a stray byte ({@code JSON parse error, stray '<token so far>'}, then recovery: bytes are skipped
 * up to a structural character, a control character other than TAB, or 0xFE/0xFF); a syntax error
 * from the parser; or one of the per-message limits (nesting 1024, 2^21 tokens, 64 MiB of token
 * text), after which the lexer is deliberately <em>not</em> put into recovery, as in qemu.
 *
 * <p>Token text of the current message is kept in one byte array (no object per token), so
 * a {@code guest-ping} costs a few array writes.
 */
public final class JsonMessageReader {

    /** What a complete message became. Called on the thread that calls {@link #feed}. */
    public interface Listener {

        /** A parsed JSON value (see {@link JsonParser} for the Java types). */
        void value(Object value);

        /** A lexical, syntax or limit error; {@code desc} is the reply's text. */
        void error(String desc);
    }

    static final int MAX_TOKEN_SIZE = 64 << 20;
    static final int MAX_TOKEN_COUNT = 1 << 21;
    static final int MAX_NESTING = 1024;

    private static final int INITIAL_BYTES = 4096;
    private static final int INITIAL_TOKENS = 64;
    private static final int KEEP_BYTES = 1 << 20;
    private static final int KEEP_TOKENS = 1 << 16;

    private final Listener listener;
    private final JsonParser parser = new JsonParser();

    private int state = JsonLexer.START;

    /** Text of the message's tokens, then of the token being lexed (from {@link #tokenStart}). */
    private byte[] text = new byte[INITIAL_BYTES];
    private int textLength;
    private int tokenStart;

    private int[] tokenTypes = new int[INITIAL_TOKENS];
    private int[] tokenStarts = new int[INITIAL_TOKENS];
    private int[] tokenLengths = new int[INITIAL_TOKENS];
    private int tokenCount;
    /** Sum of the token lengths of the message (whitespace between tokens does not count). */
    private long tokenSize;
    private int braces;
    private int brackets;

    public JsonMessageReader(Listener listener) {
        this.listener = listener;
    }

    /** Lexes {@code length} bytes; every message they complete is reported before this returns. */
    public void feed(byte[] bytes, int offset, int length) {
        int s = state;
        final int end = offset + length;
        for (int i = offset; i < end; i++) {
            final int b = bytes[i] & 0xFF;
            for (;;) {
                int action = JsonLexer.TABLE[(s << 8) | b] & 0xFF;
                int code = action & JsonLexer.CODE_MASK;
                boolean lookahead = (action & JsonLexer.LOOKAHEAD) != 0;
                if (code == JsonLexer.START || code == JsonLexer.RECOVERY) {
                    // leaving recovery (byte fed again), or a byte skipped in recovery
                    textLength = tokenStart;
                    s = code;
                } else if (code < JsonLexer.STATES) {
                    append(b);
                    s = code;
                } else if (code == JsonLexer.SKIP) {
                    s = JsonLexer.START;
                } else if (code == JsonLexer.ERROR) {
                    append(b);
                    s = state = JsonLexer.RECOVERY;
                    stray();
                } else {
                    if (!lookahead) {
                        append(b);
                    }
                    s = state = JsonLexer.START;
                    token(code);
                }
                if (!lookahead) {
                    break;
                }
            }
            if (textLength - tokenStart > MAX_TOKEN_SIZE) {
                // qemu hands an over-long token to the streamer, whose size rule then rejects it
                s = state = JsonLexer.START;
                fail("JSON token size limit exceeded");
            }
        }
        state = s;
    }

    private void append(int b) {
        if (textLength == text.length) {
            text = Arrays.copyOf(text, (int) Math.min((long) text.length * 2, 2L * MAX_TOKEN_SIZE + 16));
        }
        text[textLength++] = (byte) b;
    }

    private void stray() {
        // the token text is a C string in qemu: it ends at a NUL byte
        String desc = "JSON parse error, stray '"
                + ModifiedUtf8.decodeCString(text, tokenStart, textLength) + "'";
        fail(desc);
    }

    /** The streamer: counts, limits, and the end of a message. */
    private void token(int type) {
        int length = textLength - tokenStart;
        switch (type) {
            case JsonLexer.LCURLY -> braces++;
            case JsonLexer.RCURLY -> braces--;
            case JsonLexer.LSQUARE -> brackets++;
            case JsonLexer.RSQUARE -> brackets--;
            default -> {
            }
        }
        if (tokenSize + length + 1 > MAX_TOKEN_SIZE) {
            fail("JSON token size limit exceeded");
            return;
        }
        if (tokenCount + 1 > MAX_TOKEN_COUNT) {
            fail("JSON token count limit exceeded");
            return;
        }
        if (brackets + braces > MAX_NESTING) {
            fail("JSON nesting depth limit exceeded");
            return;
        }
        if (tokenCount == tokenTypes.length) {
            int capacity = tokenCount * 2;
            tokenTypes = Arrays.copyOf(tokenTypes, capacity);
            tokenStarts = Arrays.copyOf(tokenStarts, capacity);
            tokenLengths = Arrays.copyOf(tokenLengths, capacity);
        }
        tokenTypes[tokenCount] = type;
        tokenStarts[tokenCount] = tokenStart;
        tokenLengths[tokenCount] = length;
        tokenCount++;
        tokenSize += length;
        tokenStart = textLength;

        // the message goes on while something is open and nothing was closed too often: a
        // negative count ends it at once ("[}" is parsed at the "}"), as qemu-ga 7.2 does on the wire
        if (braces >= 0 && brackets >= 0 && (braces > 0 || brackets > 0)) {
            return;
        }
        Object value;
        try {
            value = parser.parse(text, tokenTypes, tokenStarts, tokenLengths, tokenCount);
        } catch (JsonParser.SyntaxError e) {
            fail(e.getMessage());
            return;
        }
        reset();
        listener.value(value);
    }

    private void fail(String desc) {
        reset();
        listener.error(desc);
    }

    private void reset() {
        braces = 0;
        brackets = 0;
        tokenCount = 0;
        tokenSize = 0;
        textLength = 0;
        tokenStart = 0;
        if (text.length > KEEP_BYTES) {
            text = new byte[INITIAL_BYTES];
        }
        if (tokenTypes.length > KEEP_TOKENS) {
            tokenTypes = new int[INITIAL_TOKENS];
            tokenStarts = new int[INITIAL_TOKENS];
            tokenLengths = new int[INITIAL_TOKENS];
        }
    }
}
