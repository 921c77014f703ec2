package dev.somnus.freeze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real FIFREEZE, FITHAW and FITRIM, on a file system this test makes: an ext4 image in its
 * own folder, on a loop device, mounted (and bind-mounted again) only inside a private mount
 * namespace ({@code unshare -m --propagation private}) that ends with the run, so this machine's
 * mounts never see it. The agent's side runs in {@link InPrivateMountNamespace} in that namespace
 * on a guest tree whose mount table lists only those mounts (and a tmpfs), and refuses to freeze
 * anything that is not that loop file system. The script thaws and unmounts whatever the run left.
 */
class FreezeOnLoopDeviceTest {

    private static final String SCRIPT = "set -e; guest=\"$1\"; image=\"$2\"; shift 2; "
            + "mount -o loop \"$image\" \"$guest/mnt/data\"; "
            + "mount --bind \"$guest/mnt/data\" \"$guest/mnt/data-again\"; "
            + "set +e; \"$@\"; status=$?; "
            + "fsfreeze -u \"$guest/mnt/data\" 2>/dev/null; "
            + "umount \"$guest/mnt/data-again\"; umount \"$guest/mnt/data\"; exit $status";

    @Test
    void freezesBlocksWritesThawsAndTrimsAnExt4OnALoopDevice(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting needs root");
        for (String tool : List.of("/usr/bin/unshare", "/usr/sbin/mkfs.ext4", "/usr/sbin/fsfreeze", "/dev/loop-control")) {
            Assumptions.assumeTrue(Files.exists(Path.of(tool)), tool + " is here");
        }
        Assumptions.assumeTrue(run("unshare", "-m", "--propagation", "private", "true") == 0, "unshare -m works here");
        Path image = dir.resolve("ext4.img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(32L << 20);
        }
        Assumptions.assumeTrue(run("/usr/sbin/mkfs.ext4", "-q", "-F", image.toString()) == 0, "mkfs.ext4 works here");
        Path guest = Files.createDirectories(dir.resolve("guest"));
        Files.createDirectories(guest.resolve("mnt/data"));
        Files.createDirectories(guest.resolve("mnt/data-again"));
        Path state = Files.createDirectories(dir.resolve("state"));

        List<String> command = List.of("unshare", "-m", "--propagation", "private", "--", "sh", "-c", SCRIPT, "sh",
                guest.toString(), image.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), InPrivateMountNamespace.class.getName(),
                guest.toString(), state.toString(), Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .collect(Collectors.toList());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Files.write(Files.createDirectories(Path.of("target")).resolve("loop-device-run.txt"), lines);

        assertThat(process.exitValue()).as("the run in the namespace: %s", lines).isZero();
        assertThat(lines).containsSubsequence(
                "targets=[/mnt/data-again, /mnt/data]",
                "status=thawed",
                // data-again froze the file system; data then answered EBUSY and is not counted
                "freeze=1",
                "status.frozen=frozen",
                "marker.frozen=true",
                "write.blockedWhileFrozen=true",
                "thaw=1",
                "write.doneAfterThaw=true",
                "status.thawed=thawed",
                "marker.thawed=false",
                "freezeList=1",
                "thawList=1",
                "freezeNone=0",
                "status.none=thawed",
                "thawAgain=0",
                "warnings=[]",
                "done=true");
        String trim = lines.stream().filter(line -> line.startsWith("trim=")).findFirst().orElseThrow();
        // FITRIM in mount order (data trims the fresh file system, data-again then finds nothing left:
        // ext4 remembers trimmed groups), the reply last mounted first; members in QDict order
        assertThat(trim).matches("trim=\\{\"return\": \\{\"paths\": \\["
                + "\\{\"minimum\": 0, \"path\": \"/mnt/data-again\", \"trimmed\": 0\\}, "
                + "\\{\"minimum\": 0, \"path\": \"/mnt/data\", \"trimmed\": [1-9]\\d*\\}\\]\\}\\}");
        assertThat(Files.readString(image.getParent().resolve("guest/proc/self/mountinfo"))).contains(" /mnt/data ")
                .contains(" /mnt/data-again ").contains(" /mnt/scratch ");
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}
