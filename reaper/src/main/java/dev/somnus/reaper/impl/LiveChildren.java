package dev.somnus.reaper.impl;

import java.util.List;

/** The reaper's running children, for the shell command (a service private to this bundle). */
public interface LiveChildren {

    /** A snapshot, oldest first. */
    List<LiveChild> live();
}
