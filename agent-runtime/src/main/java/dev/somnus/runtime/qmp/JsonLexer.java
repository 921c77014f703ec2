package dev.somnus.runtime.qmp;

/**
 * The transition table of qemu's JSON lexer (7.2, {@code json-lexer.c} semantics; qga-reference
 * §1.4): one state per byte, no backtracking. Beyond RFC 8259 it takes single-quoted strings and the
 * {@code \'} escape, any byte 0x20–0xFD inside strings (the parser validates UTF-8 and escapes), and
 * keywords as {@code [a-z]+} (the parser rejects unknown ones). Interpolation ({@code %d}) is off for
 * the agent, so {@code %} is a stray byte.
 *
 * <p>An entry is an action code, plus {@link #LOOKAHEAD} when the byte is not part of the token
 * and must be fed again from the start state (a number or keyword ends only at the byte after it).
 */
final class JsonLexer {

    // in-token states
    static final int START = 0;
    /** After a stray byte: skip until a structural character, a control character other than TAB, or 0xFE/0xFF. */
    static final int RECOVERY = 1;
    static final int DQ_STRING = 2;
    static final int DQ_ESCAPE = 3;
    static final int SQ_STRING = 4;
    static final int SQ_ESCAPE = 5;
    static final int ZERO = 6;
    static final int DIGITS = 7;
    static final int SIGN = 8;
    static final int MANTISSA = 9;
    static final int MANTISSA_DIGITS = 10;
    static final int EXP_E = 11;
    static final int EXP_SIGN = 12;
    static final int EXP_DIGITS = 13;
    static final int KEYWORD = 14;
    static final int STATES = 15;

    // tokens
    static final int LCURLY = 16;
    static final int RCURLY = 17;
    static final int LSQUARE = 18;
    static final int RSQUARE = 19;
    static final int COLON = 20;
    static final int COMMA = 21;
    static final int INTEGER = 22;
    static final int FLOAT = 23;
    static final int KEYWORD_TOKEN = 24;
    static final int STRING = 25;

    // other actions
    /** Whitespace between tokens: dropped. */
    static final int SKIP = 26;
    /** A byte that cannot continue the token: a lexical error; the byte belongs to the stray text. */
    static final int ERROR = 27;

    static final int LOOKAHEAD = 0x80;
    static final int CODE_MASK = 0x7F;

    /** Indexed by {@code state << 8 | byte}. */
    static final byte[] TABLE = new byte[STATES << 8];

    static {
        java.util.Arrays.fill(TABLE, (byte) ERROR);

        set(START, '"', DQ_STRING);
        set(START, '\'', SQ_STRING);
        set(START, '0', ZERO);
        range(START, '1', '9', DIGITS);
        set(START, '-', SIGN);
        set(START, '{', LCURLY);
        set(START, '}', RCURLY);
        set(START, '[', LSQUARE);
        set(START, ']', RSQUARE);
        set(START, ':', COLON);
        set(START, ',', COMMA);
        range(START, 'a', 'z', KEYWORD);
        for (char ws : new char[] {' ', '\t', '\r', '\n'}) {
            set(START, ws, SKIP);
        }

        range(RECOVERY, 0x00, 0x1F, START | LOOKAHEAD);
        range(RECOVERY, 0x20, 0xFD, RECOVERY);
        range(RECOVERY, 0xFE, 0xFF, START | LOOKAHEAD);
        set(RECOVERY, '\t', RECOVERY);
        for (char structural : new char[] {'[', ']', '{', '}', ':', ','}) {
            set(RECOVERY, structural, START | LOOKAHEAD);
        }

        range(DQ_STRING, 0x20, 0xFD, DQ_STRING);
        set(DQ_STRING, '\\', DQ_ESCAPE);
        set(DQ_STRING, '"', STRING);
        range(DQ_ESCAPE, 0x20, 0xFD, DQ_STRING);
        range(SQ_STRING, 0x20, 0xFD, SQ_STRING);
        set(SQ_STRING, '\\', SQ_ESCAPE);
        set(SQ_STRING, '\'', STRING);
        range(SQ_ESCAPE, 0x20, 0xFD, SQ_STRING);

        range(ZERO, 0x00, 0xFF, INTEGER | LOOKAHEAD);
        range(ZERO, '0', '9', ERROR);
        set(ZERO, '.', MANTISSA);

        range(DIGITS, 0x00, 0xFF, INTEGER | LOOKAHEAD);
        range(DIGITS, '0', '9', DIGITS);
        set(DIGITS, 'e', EXP_E);
        set(DIGITS, 'E', EXP_E);
        set(DIGITS, '.', MANTISSA);

        set(SIGN, '0', ZERO);
        range(SIGN, '1', '9', DIGITS);

        range(MANTISSA, '0', '9', MANTISSA_DIGITS);
        range(MANTISSA_DIGITS, 0x00, 0xFF, FLOAT | LOOKAHEAD);
        range(MANTISSA_DIGITS, '0', '9', MANTISSA_DIGITS);
        set(MANTISSA_DIGITS, 'e', EXP_E);
        set(MANTISSA_DIGITS, 'E', EXP_E);

        set(EXP_E, '-', EXP_SIGN);
        set(EXP_E, '+', EXP_SIGN);
        range(EXP_E, '0', '9', EXP_DIGITS);
        range(EXP_SIGN, '0', '9', EXP_DIGITS);
        range(EXP_DIGITS, 0x00, 0xFF, FLOAT | LOOKAHEAD);
        range(EXP_DIGITS, '0', '9', EXP_DIGITS);

        range(KEYWORD, 0x00, 0xFF, KEYWORD_TOKEN | LOOKAHEAD);
        range(KEYWORD, 'a', 'z', KEYWORD);
    }

    private JsonLexer() {
    }

    private static void set(int state, int b, int action) {
        TABLE[(state << 8) | b] = (byte) action;
    }

    private static void range(int state, int from, int to, int action) {
        for (int b = from; b <= to; b++) {
            set(state, b, action);
        }
    }
}
