package dev.somnus.reaper.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildProcess;

/** Shared helpers: fake programs, a log that remembers, and /proc inspection. */
final class Fixtures {

    private Fixtures() {
    }

    /** A Reaper.Log that keeps what it is told, so tests can show it when they fail. */
    static final class RecordingLog implements Reaper.Log {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void warn(String message) {
            lines.add("WARN " + message);
        }

        @Override
        public void error(String message, Throwable cause) {
            lines.add("ERROR " + message + ": " + cause);
        }
    }

    static Reaper reaper(Path trustedDir, Duration sweep, RecordingLog log) {
        return new Reaper(new Reaper.Settings(trustedDir + ":/usr/bin:/bin", true, sweep), log);
    }

    /** Writes an executable shell script. */
    static Path script(Path dir, String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** Waits for an outcome, failing (instead of hanging) if it never comes. */
    static ChildOutcome outcome(ChildProcess child) throws Exception {
        return child.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static long self() {
        return ProcessHandle.current().pid();
    }

    /** Zombies whose parent is this JVM: state Z and ppid = our pid in /proc/N/stat. */
    static List<Long> zombieChildren() throws IOException {
        List<Long> zombies = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .forEach(n -> {
                        String[] f = Orphans.statFields(Long.parseLong(n));
                        if (f != null && f[0].equals("Z") && Long.parseLong(f[1]) == self()) {
                            zombies.add(Long.parseLong(n));
                        }
                    });
        }
        return zombies;
    }

    /** Whether a process exists at all (running or zombie). */
    static boolean exists(long pid) {
        return Files.exists(Path.of("/proc", Long.toString(pid)));
    }

    /** Polls a condition for up to 10 s; a correctness wait, not a performance assertion. */
    static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /**
     * The child's descriptors once its program has settled: right after exec the dynamic loader
     * briefly holds a library open as fd 3, so a look taken too early sees a descriptor that was
     * never inherited. An inherited one stays, so this still fails for a real leak.
     */
    static List<String> settledDescriptors(long pid) throws IOException, InterruptedException {
        List<String> fds = openDescriptors(pid);
        for (int i = 0; i < 100 && fds.size() > 3; i++) {
            Thread.sleep(20);
            fds = openDescriptors(pid);
        }
        return fds;
    }

    static List<String> openDescriptors(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static String statusField(long pid, String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new IllegalStateException(name + " not in /proc/" + pid + "/status");
    }
}
