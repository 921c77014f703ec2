package dev.somnus.freeze;

import dev.somnus.api.command.FrozenFileSystems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake guest for {@link GuestFreeze}: a tree under a test folder with the mount table the test
 * writes, a state folder, {@link FakeFileSystems} for the ioctls and {@link FakeHookRunner} for the
 * reaper. Every call (ioctl, hook run, publish, withdraw) lands in one list, in order. The mount
 * points it lists are not created in the tree, so no path there leads to a real file system.
 */
final class FreezeFixture {

    /** A guest's mount table in the kernel's mountinfo format: /srv, /data and its bind mount, proc and a tmpfs. */
    static final String MOUNTINFO = ""
            + "22 1 8:1 / /srv rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
            + "23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
            + "24 22 8:2 / /data rw,relatime shared:2 - xfs /dev/sda2 rw,attr2,inode64\n"
            + "25 22 0:30 / /tmp rw,nosuid,nodev shared:14 - tmpfs tmpfs rw,size=8192k\n"
            + "26 22 8:2 /export /data/again rw,relatime shared:2 - xfs /dev/sda2 rw,attr2,inode64\n";

    final Path root;
    final Path stateDirectory;
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final List<String> infos = new CopyOnWriteArrayList<>();
    final List<String> published = new CopyOnWriteArrayList<>();
    final FakeFileSystems fileSystems;
    final FakeHookRunner reaper;
    String hook;
    Duration thawAfter = Duration.ZERO;
    boolean reaperPresent = true;

    FreezeFixture(Path dir) throws IOException {
        root = Files.createDirectories(dir.resolve("guest"));
        stateDirectory = Files.createDirectories(dir.resolve("state"));
        fileSystems = new FakeFileSystems(root, calls).on("/data", "sda2").on("/data/again", "sda2");
        reaper = new FakeHookRunner(calls);
        mountinfo(MOUNTINFO);
    }

    FreezeFixture mountinfo(String text) throws IOException {
        Path file = root.resolve("proc/self/mountinfo");
        Files.createDirectories(file.getParent());
        Files.write(file, text.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    FreezeFixture noMountTable() throws IOException {
        Files.deleteIfExists(root.resolve("proc/self/mountinfo"));
        Files.deleteIfExists(root.resolve("proc/self/mounts"));
        return this;
    }

    Path marker() {
        return stateDirectory.resolve(GuestFreeze.MARKER);
    }

    GuestFreeze.Settings settings() {
        return new GuestFreeze.Settings(root, stateDirectory, hook, thawAfter);
    }

    GuestFreeze start() {
        return new GuestFreeze(settings(), fileSystems, () -> reaperPresent ? reaper : null, this::publish,
                new GuestFreeze.Log() {
                    @Override
                    public void info(String message) {
                        infos.add(message);
                    }

                    @Override
                    public void warning(String message) {
                        warnings.add(message);
                    }
                });
    }

    private Runnable publish(FrozenFileSystems frozen) {
        calls.add("publish");
        published.add(frozen.describe());
        return () -> calls.add("withdraw");
    }

    /** The calls so far, then forgotten. */
    List<String> takeCalls() {
        List<String> taken = new ArrayList<>(calls);
        calls.clear();
        return taken;
    }
}
