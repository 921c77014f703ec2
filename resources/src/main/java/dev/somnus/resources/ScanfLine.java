package dev.somnus.resources;

/**
 * One line read the way glibc's {@code sscanf} reads qemu-ga's {@code "%s %lu %u ..."} formats for
 * /proc/stat and /proc/diskstats: each conversion skips white space first, the first conversion that
 * fails ends the scan, and {@link #result()} is sscanf's return value: the number of conversions
 * done, or -1 (EOF) when the line ended before the first one. Conversions after the end return 0 or
 * null, standing in for the C variables sscanf left untouched.
 */
final class ScanfLine {

    static final int EOF = -1;

    private final String line;
    private int pos;
    private int count;
    private boolean stopped;
    private boolean endOfInput;

    ScanfLine(String line) {
        this.line = line;
    }

    /** {@code %s}: a run of non-space characters. */
    String string() {
        if (!start()) {
            return null;
        }
        int from = pos;
        while (pos < line.length() && !CNumbers.isSpace(line.charAt(pos))) {
            pos++;
        }
        count++;
        return line.substring(from, pos);
    }

    /** {@code %lu}: an unsigned long, as its 64 bits. */
    long unsignedLong() {
        if (!start()) {
            return 0;
        }
        CNumbers.Conversion c = CNumbers.strtoul(line, pos, 10);
        if (!c.converted()) {
            stopped = true;
            return 0;
        }
        pos = c.end();
        count++;
        return c.value();
    }

    /** {@code %u}: converted as an unsigned long, stored into an unsigned int (the low 32 bits). */
    long unsignedInt() {
        return unsignedLong() & 0xFFFF_FFFFL;
    }

    /** sscanf's return value. */
    int result() {
        return endOfInput && count == 0 ? EOF : count;
    }

    private boolean start() {
        if (stopped) {
            return false;
        }
        pos = CNumbers.skipSpace(line, pos);
        if (pos >= line.length()) {
            stopped = true;
            endOfInput = true;
            return false;
        }
        return true;
    }
}
