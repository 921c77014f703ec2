package dev.somnus.reaper.impl;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A running child as the {@code somnus:children} command shows it. */
public record LiveChild(long pid, List<String> argv, Instant started, Duration timeout) {
}
