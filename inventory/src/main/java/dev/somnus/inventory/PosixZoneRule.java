package dev.somnus.inventory;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;

/**
 * A POSIX TZ rule such as {@code CET-1CEST,M3.5.0,M10.5.0/3}, parsed as GLib 2.74 parses one
 * ({@code rules_from_identifier}, gtimezone.c): from the TZ variable, and from the footer of a
 * TZif file, which rules the times after its last transition. A rule is {@code std offset} alone,
 * or with {@code dst [offset],start[/time],end[/time]}; names are three or more letters or
 * {@code <...>} quoted; GLib refuses a daylight name without start and end (glibc would read
 * {@code posixrules}), and so does this class. Transitions exist for the years 1916 to 2998, as GLib
 * makes them.
 */
final class PosixZoneRule {

    private static final int FIRST_YEAR = 1916;
    private static final int LAST_YEAR = 2998;
    private static final int NAME_SIZE = 33;

    private final ZoneInterval standard;
    private final ZoneInterval daylight; // null: no daylight saving
    private final Boundary start;
    private final Boundary end;

    private PosixZoneRule(ZoneInterval standard, ZoneInterval daylight, Boundary start, Boundary end) {
        this.standard = standard;
        this.daylight = daylight;
        this.start = start;
        this.end = end;
    }

    static Optional<PosixZoneRule> parse(String rule) {
        Cursor at = new Cursor(rule);
        String stdName = at.name();
        if (stdName == null) {
            return Optional.empty();
        }
        Integer stdOffset = at.offset();
        if (stdOffset == null) {
            return Optional.empty();
        }
        ZoneInterval standard = new ZoneInterval(stdOffset, stdName, false);
        if (at.atEnd()) {
            return Optional.of(new PosixZoneRule(standard, null, null, null));
        }
        String dstName = at.name();
        if (dstName == null) {
            return Optional.empty();
        }
        Integer dstOffset = at.offset();
        if (dstOffset == null || dstOffset == 0) {
            dstOffset = stdOffset + 3600; // no daylight offset given
        }
        if (at.atEnd() || !at.take(',')) {
            return Optional.empty();
        }
        Boundary start = Boundary.parse(at.until(','));
        if (start == null || !at.take(',')) {
            return Optional.empty();
        }
        Boundary end = Boundary.parse(at.until(','));
        if (end == null) {
            return Optional.empty();
        }
        return Optional.of(new PosixZoneRule(standard, new ZoneInterval(dstOffset, dstName, true), start, end));
    }

    boolean hasDaylight() {
        return daylight != null;
    }

    ZoneInterval standard() {
        return standard;
    }

    /** The rule's latest transition at or before {@code epochSecond} and after {@code after}, if any. */
    Optional<ZoneInterval> latestTransition(long epochSecond, long after) {
        if (daylight == null) {
            return Optional.empty();
        }
        int year = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, 86_400)).getYear();
        long best = Long.MIN_VALUE;
        ZoneInterval bestInterval = null;
        for (int y = Math.max(year - 1, FIRST_YEAR); y <= Math.min(year + 1, LAST_YEAR); y++) {
            // the start is given in standard time, the end in daylight time
            long begins = start.epochSecond(y) - standard.offset();
            long ends = end.epochSecond(y) - daylight.offset();
            if (begins <= epochSecond && begins > after && begins > best) {
                best = begins;
                bestInterval = daylight;
            }
            if (ends <= epochSecond && ends > after && ends > best) {
                best = ends;
                bestInterval = standard;
            }
        }
        return Optional.ofNullable(bestInterval);
    }

    /** The interval at {@code epochSecond} for a zone made of this rule alone (the TZ variable). */
    ZoneInterval at(long epochSecond) {
        return latestTransition(epochSecond, Long.MIN_VALUE).orElse(standard);
    }

    /** A transition date: {@code Mm.w.d}, {@code Jn} (no Feb 29) or {@code n} (from 0), then {@code /time}. */
    private record Boundary(char kind, int month, int week, int weekday, int day, int time) {

        static Boundary parse(String text) {
            Cursor at = new Cursor(text);
            char kind = at.peek();
            int month = 0;
            int week = 0;
            int weekday = 0;
            int day = 0;
            if (kind == 'M') {
                at.take('M');
                int m = at.digit(0, 9);
                if (m < 0) {
                    return null;
                }
                char next = at.peek();
                if ((m == 1 && next >= '0' && next <= '2') || (m == 0 && next >= '0' && next <= '9')) {
                    m = m * 10 + at.digit(0, 9);
                }
                if (!at.take('.') || m == 0) {
                    return null;
                }
                week = at.digit(1, 5);
                if (week < 0 || !at.take('.')) {
                    return null;
                }
                weekday = at.digit(0, 6);
                if (weekday < 0) {
                    return null;
                }
                month = m;
            } else {
                boolean julian = kind == 'J';
                if (julian) {
                    at.take('J');
                }
                day = at.number();
                if (day < (julian ? 1 : 0) || day > 365) {
                    return null;
                }
                kind = julian ? 'J' : 'n';
            }
            int time = 2 * 3600;
            if (at.take('/')) {
                Integer t = ConstantOffset.parse(at.rest(), true);
                if (t == null) {
                    return null;
                }
                time = t;
            } else if (!at.atEnd()) {
                return null;
            }
            return new Boundary(kind, month, week, weekday, day, time);
        }

        /** The boundary in year {@code year} as seconds of the local clock it is given in. */
        long epochSecond(int year) {
            LocalDate date;
            if (kind == 'M') {
                DayOfWeek dow = weekday == 0 ? DayOfWeek.SUNDAY : DayOfWeek.of(weekday);
                LocalDate first = LocalDate.of(year, month, 1).with(TemporalAdjusters.firstInMonth(dow));
                date = week == 5 ? LocalDate.of(year, month, 1).with(TemporalAdjusters.lastInMonth(dow))
                        : first.plusWeeks(week - 1);
            } else if (kind == 'J') {
                boolean skipsLeapDay = LocalDate.of(year, 1, 1).isLeapYear() && day > 59;
                date = LocalDate.ofYearDay(year, skipsLeapDay ? day + 1 : day);
            } else {
                date = LocalDate.of(year, 1, 1).plusDays(day);
            }
            return date.toEpochDay() * 86_400 + time;
        }
    }

    /** A position in the rule text; GLib's {@code gchar **pos}. */
    private static final class Cursor {
        private final String text;
        private int pos;

        Cursor(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        char peek() {
            return atEnd() ? '\0' : text.charAt(pos);
        }

        boolean take(char c) {
            if (peek() == c && !atEnd()) {
                pos++;
                return true;
            }
            return false;
        }

        String rest() {
            String r = text.substring(pos);
            pos = text.length();
            return r;
        }

        String until(char stop) {
            int from = pos;
            while (!atEnd() && text.charAt(pos) != stop) {
                pos++;
            }
            return text.substring(from, pos);
        }

        int digit(int low, int high) {
            char c = peek();
            if (c < '0' + low || c > '0' + high) {
                return -1;
            }
            pos++;
            return c - '0';
        }

        int number() {
            int from = pos;
            while (peek() >= '0' && peek() <= '9') {
                pos++;
            }
            if (from == pos || pos - from > 4) {
                return -1;
            }
            return Integer.parseInt(text.substring(from, pos));
        }

        /** set_tz_name: letters, or {@code <[A-Za-z0-9+-]*>}; three characters at least. */
        String name() {
            boolean quoted = peek() == '<';
            int from = quoted ? pos + 1 : pos;
            if (quoted) {
                do {
                    pos++;
                } while (!atEnd() && (isAsciiAlnum(peek()) || peek() == '-' || peek() == '+'));
                if (peek() != '>') {
                    return null;
                }
            } else {
                while (!atEnd() && isAsciiAlpha(peek())) {
                    pos++;
                }
            }
            if (pos - from < 3) {
                return null;
            }
            String name = text.substring(from, Math.min(pos, from + NAME_SIZE - 1));
            if (quoted) {
                pos++;
            }
            return name;
        }

        /** parse_offset: {@code [+-]hh[:mm[:ss]]} west of UTC, returned east of UTC; null if invalid. */
        Integer offset() {
            int from = pos;
            while (!atEnd() && (peek() == '+' || peek() == '-' || peek() == ':' || (peek() >= '0' && peek() <= '9'))) {
                pos++;
            }
            Integer west = ConstantOffset.parse(text.substring(from, pos), false);
            return west == null ? null : -west;
        }

        private static boolean isAsciiAlpha(char c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        }

        private static boolean isAsciiAlnum(char c) {
            return isAsciiAlpha(c) || (c >= '0' && c <= '9');
        }
    }
}
