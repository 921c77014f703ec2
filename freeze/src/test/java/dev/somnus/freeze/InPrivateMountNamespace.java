package dev.somnus.freeze;

import dev.somnus.api.command.FrozenFileSystems;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link FreezeOnLoopDeviceTest} in a private mount namespace of its own, where an ext4
 * image on a loop device is mounted at {@code <guest>/mnt/data} and bind-mounted again at
 * {@code <guest>/mnt/data-again}, and nowhere else. It writes the guest's mount table from those
 * two lines of this namespace's mountinfo (plus a tmpfs, which must be skipped), checks that
 * everything the command would freeze lies on that loop file system inside the guest tree, and
 * only then freezes, writes, thaws and trims it with the real ioctls, printing {@code key=value}
 * lines. Every path out of here thaws both mount points again first.
 */
public final class InPrivateMountNamespace {

    private InPrivateMountNamespace() {
    }

    public static void main(String[] args) throws Exception {
        Path guest = Path.of(args[0]).toRealPath();
        Path state = Path.of(args[1]);
        String testsNamespace = args[2];
        if (Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString().equals(testsNamespace)) {
            System.out.println("refused=not in a mount namespace of its own");
            System.exit(3);
        }
        writeMountTable(guest);
        List<String> warnings = new ArrayList<>();
        GuestFreeze freeze = new GuestFreeze(new GuestFreeze.Settings(guest, state, null, Duration.ZERO),
                new NativeFileSystemControl(), () -> null, InPrivateMountNamespace::publish, new GuestFreeze.Log() {
                    @Override
                    public void info(String message) {
                    }

                    @Override
                    public void warning(String message) {
                        warnings.add(message);
                    }
                });

        // the hard guard: nothing is frozen unless every target is the test's own loop file system
        List<Path> targets = freeze.freezeTargets(null);
        Object rootDevice = Files.getAttribute(Path.of("/"), "unix:dev");
        Object treeDevice = Files.getAttribute(guest, "unix:dev");
        for (Path target : targets) {
            Path real = target.toRealPath();
            Object device = Files.getAttribute(real, "unix:dev");
            if (!real.startsWith(guest) || device.equals(rootDevice) || device.equals(treeDevice)) {
                System.out.println("refused=" + real + " is not the test's loop file system");
                System.exit(4);
            }
        }
        System.out.println("targets=" + targets.stream().map(t -> "/" + guest.relativize(t)).toList());

        Path data = guest.resolve("mnt/data");
        try {
            System.out.println("status=" + freeze.status());
            System.out.println("freeze=" + freeze.freeze(FsfreezeFreezeCommand.NAME, null));
            System.out.println("status.frozen=" + freeze.status());
            System.out.println("marker.frozen=" + Files.exists(state.resolve(GuestFreeze.MARKER)));

            CountDownLatch written = new CountDownLatch(1);
            Thread writer = new Thread(() -> {
                try (FileChannel file = FileChannel.open(data.resolve("probe"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
                    file.write(ByteBuffer.wrap("written while frozen".getBytes(StandardCharsets.US_ASCII)));
                    file.force(true);
                    written.countDown();
                } catch (IOException e) {
                    System.out.println("writer=" + e);
                }
            }, "writer");
            writer.setDaemon(true);
            writer.start();
            System.out.println("write.blockedWhileFrozen=" + !written.await(700, TimeUnit.MILLISECONDS));

            System.out.println("thaw=" + freeze.thaw());
            System.out.println("write.doneAfterThaw=" + written.await(10, TimeUnit.SECONDS));
            System.out.println("status.thawed=" + freeze.status());
            System.out.println("marker.thawed=" + Files.exists(state.resolve(GuestFreeze.MARKER)));

            System.out.println("freezeList=" + freeze.freeze(FsfreezeFreezeCommand.NAME, List.of("/mnt/data")));
            System.out.println("thawList=" + freeze.thaw());
            System.out.println("freezeNone=" + freeze.freeze(FsfreezeFreezeCommand.NAME, List.of("/mnt/nowhere")));
            System.out.println("status.none=" + freeze.status());
            System.out.println("thawAgain=" + freeze.thaw());
            System.out.println("trim=" + Replies.render(freeze.trim(0)));
            System.out.println("warnings=" + warnings);
        } finally {
            // whatever happened above: no FIFREEZE of ours outlives this process
            NativeFileSystemControl control = new NativeFileSystemControl();
            for (Path target : targets) {
                control.thaw(target);
            }
        }
        System.out.println("done=true");
    }

    private static Runnable publish(FrozenFileSystems frozen) {
        return () -> { };
    }

    /**
     * The mountinfo lines of the guest tree's mounts, their mount points made the guest's paths;
     * a tmpfs line after them (major 0: skipped, as proc and tmpfs are on a guest).
     */
    private static void writeMountTable(Path guest) throws IOException {
        StringBuilder table = new StringBuilder();
        String prefix = guest + "/";
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.ISO_8859_1)) {
            String[] fields = line.split(" ");
            if (fields.length > 5 && fields[4].startsWith(prefix)) {
                fields[4] = "/" + fields[4].substring(prefix.length());
                table.append(String.join(" ", fields)).append('\n');
            }
        }
        table.append("999 1 0:999 / /mnt/scratch rw,relatime - tmpfs scratch rw\n");
        Path file = guest.resolve("proc/self/mountinfo");
        Files.createDirectories(file.getParent());
        Files.writeString(file, table, StandardCharsets.ISO_8859_1);
    }
}
