package dev.somnus.inventory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A TZif file (RFC 8536; {@code /etc/localtime}, {@code /usr/share/zoneinfo/*}) read as GLib
 * 2.74's {@code init_zone_from_iana_info} reads it: the 64-bit data of a version 2+ file (the
 * 32-bit data of version 1), and the footer's POSIX rule for the times after the last explicit
 * transition. Before the first transition GLib uses the first standard-time type, not type 0.
 * A file GLib would refuse (no TZif magic, no footer lines, a footer it cannot parse) is empty
 * here; a truncated one too, where GLib reads past the end.
 */
final class ZoneInfoFile {

    private static final int HEADER = 44;

    private final long[] transitions;
    private final int[] typeOfTransition;
    private final ZoneInterval[] types;
    private final PosixZoneRule footer; // null: none, or no daylight saving in it

    private ZoneInfoFile(long[] transitions, int[] typeOfTransition, ZoneInterval[] types, PosixZoneRule footer) {
        this.transitions = transitions;
        this.typeOfTransition = typeOfTransition;
        this.types = types;
        this.footer = footer;
    }

    static Optional<ZoneInfoFile> parse(byte[] data) {
        try {
            return Optional.ofNullable(read(ByteBuffer.wrap(data)));
        } catch (IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private static ZoneInfoFile read(ByteBuffer in) {
        if (in.limit() < HEADER || in.get(0) != 'T' || in.get(1) != 'Z' || in.get(2) != 'i' || in.get(3) != 'f') {
            return null;
        }
        boolean v2 = in.get(4) >= '2';
        int header = 0;
        if (v2) {
            header = HEADER + in.getInt(20) + in.getInt(24) + 8 * in.getInt(28) + 5 * in.getInt(32)
                    + 6 * in.getInt(36) + in.getInt(40);
        }
        int isUt = in.getInt(header + 20);
        int isStd = in.getInt(header + 24);
        int leaps = in.getInt(header + 28);
        int timeCount = in.getInt(header + 32);
        int typeCount = in.getInt(header + 36);
        int charCount = in.getInt(header + 40);
        int timeSize = v2 ? 8 : 4;
        int times = header + HEADER;
        int indices = times + timeSize * timeCount;
        int ttinfos = indices + timeCount;
        int abbreviations = ttinfos + 6 * typeCount;

        PosixZoneRule footer = null;
        if (v2) {
            int at = abbreviations + charCount + 12 * leaps + isStd + isUt;
            if (at > in.limit() - 2 || in.get(at) != '\n') {
                return null;
            }
            int last = at + 1;
            while (last < in.limit() && in.get(last) != '\n') {
                last++;
            }
            if (last == in.limit()) {
                return null;
            }
            if (last > at + 1) {
                byte[] rule = new byte[last - at - 1];
                in.get(at + 1, rule);
                Optional<PosixZoneRule> parsed = PosixZoneRule.parse(new String(rule, StandardCharsets.US_ASCII));
                if (parsed.isEmpty()) {
                    return null;
                }
                footer = parsed.get().hasDaylight() ? parsed.get() : null;
            }
        }

        ZoneInterval[] types = new ZoneInterval[typeCount];
        for (int i = 0; i < typeCount; i++) {
            int entry = ttinfos + 6 * i;
            int abbreviation = abbreviations + (in.get(entry + 5) & 0xFF);
            int end = abbreviation;
            while (in.get(end) != 0) {
                end++;
            }
            byte[] name = new byte[end - abbreviation];
            in.get(abbreviation, name);
            types[i] = new ZoneInterval(in.getInt(entry), new String(name, StandardCharsets.UTF_8), in.get(entry + 4) != 0);
        }
        long[] transitions = new long[timeCount];
        int[] typeOf = new int[timeCount];
        for (int i = 0; i < timeCount; i++) {
            transitions[i] = v2 ? in.getLong(times + 8 * i) : in.getInt(times + 4 * i);
            typeOf[i] = in.get(indices + i) & 0xFF;
            if (typeOf[i] >= typeCount) {
                return null;
            }
        }
        if (typeCount == 0) {
            return null;
        }
        return new ZoneInfoFile(transitions, typeOf, types, footer);
    }

    /** g_time_zone_find_interval (G_TIME_TYPE_UNIVERSAL) and the interval's info. */
    ZoneInterval at(long epochSecond) {
        if (footer != null) {
            long lastExplicit = transitions.length == 0 ? Long.MIN_VALUE : transitions[transitions.length - 1];
            Optional<ZoneInterval> ruled = footer.latestTransition(epochSecond, lastExplicit);
            if (ruled.isPresent()) {
                return ruled.get();
            }
        }
        int passed = 0;
        while (passed < transitions.length && transitions[passed] <= epochSecond) {
            passed++;
        }
        if (passed > 0) {
            return types[typeOfTransition[passed - 1]];
        }
        for (ZoneInterval type : types) {
            if (!type.daylight()) {
                return type;
            }
        }
        return types[0];
    }
}
