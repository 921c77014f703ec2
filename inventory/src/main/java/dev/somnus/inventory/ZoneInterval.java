package dev.somnus.inventory;

/**
 * What a time zone says about one instant: seconds east of UTC and the abbreviation in use
 * (GLib's {@code TransitionInfo}: {@code gmt_offset}, {@code abbrev}, {@code is_dst}).
 */
record ZoneInterval(int offset, String abbreviation, boolean daylight) {
}
