package dev.somnus.freeze;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in for the kernel's FIFREEZE/FITHAW/FITRIM, so the freeze logic is tested without a real
 * file system ever freezing. Mount points that share a {@code file system} name (bind mounts)
 * share one freeze count, as one superblock does; a frozen one answers EBUSY to another FIFREEZE,
 * and FITHAW succeeds until the count is 0, then answers EINVAL.
 */
final class FakeFileSystems implements FileSystemControl {

    private final Path root;
    private final Map<String, String> fileSystemOf = new HashMap<>();
    private final Map<String, Integer> freezeCount = new HashMap<>();
    private final Map<String, Failure> failures = new HashMap<>();
    private final Map<String, Object> trims = new HashMap<>();
    /** What was asked, in order: {@code freeze /data}, {@code thaw /data}, {@code trim /data 0}. */
    final List<String> calls;

    FakeFileSystems(Path root, List<String> calls) {
        this.root = root;
        this.calls = calls;
    }

    /** The mount point lies on the named file system (several mount points may share one). */
    FakeFileSystems on(String mountpoint, String fileSystem) {
        fileSystemOf.put(mountpoint, fileSystem);
        return this;
    }

    /** FIFREEZE (and FITRIM) of this mount point fails so. */
    FakeFileSystems failing(String mountpoint, Step step, int errno, String text) {
        failures.put(mountpoint, new Failure(step, errno, text));
        return this;
    }

    FakeFileSystems trimming(String mountpoint, Object outcome) {
        trims.put(mountpoint, outcome);
        return this;
    }

    boolean frozen(String fileSystem) {
        return freezeCount.getOrDefault(fileSystem, 0) > 0;
    }

    @Override
    public Failure freeze(Path mountpoint) {
        String guest = guest(mountpoint);
        calls.add("freeze " + guest);
        Failure failure = failures.get(guest);
        if (failure != null) {
            return failure;
        }
        String fileSystem = fileSystemOf.getOrDefault(guest, guest);
        if (frozen(fileSystem)) {
            return new Failure(Step.IOCTL, EBUSY, "Device or resource busy");
        }
        freezeCount.put(fileSystem, 1);
        return null;
    }

    @Override
    public int thaw(Path mountpoint) {
        String guest = guest(mountpoint);
        calls.add("thaw " + guest);
        Failure failure = failures.get(guest);
        if (failure != null && failure.step() == Step.OPEN) {
            return -1;
        }
        String fileSystem = fileSystemOf.getOrDefault(guest, guest);
        int count = freezeCount.getOrDefault(fileSystem, 0);
        freezeCount.put(fileSystem, 0);
        return count;
    }

    @Override
    public Object trim(Path mountpoint, long minimum) {
        String guest = guest(mountpoint);
        calls.add("trim " + guest + " " + minimum);
        Failure failure = failures.get(guest);
        if (failure != null) {
            return failure;
        }
        return trims.getOrDefault(guest, new Trimmed(0, minimum));
    }

    /** The mount point as the guest names it. */
    private String guest(Path mountpoint) {
        return "/" + root.relativize(mountpoint);
    }
}
