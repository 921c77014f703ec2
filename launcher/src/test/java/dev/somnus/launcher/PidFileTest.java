package dev.somnus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @TempDir
    Path dir;

    @Test
    void holdsThePidWithOwnerOnlyRightsAndIsRemovedOnClose() throws Exception {
        Path path = dir.resolve("somnus-ga.pid");

        try (PidFile pidFile = PidFile.acquire(path, 4242)) {
            assertThat(Files.readString(path)).isEqualTo("4242\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
        }

        assertThat(path).doesNotExist();
    }

    @Test
    void aSecondCloseLeavesASuccessorsFileAlone() throws Exception {
        Path path = dir.resolve("reused.pid");
        PidFile first = PidFile.acquire(path, 1);
        first.close();
        try (PidFile successor = PidFile.acquire(path, 2)) {
            first.close();

            assertThat(Files.readString(path)).isEqualTo("2\n");
        }
    }

    @Test
    void replacesAStaleContentThatNobodyLocks() throws Exception {
        Path path = dir.resolve("stale.pid");
        Files.writeString(path, "123456789\n");

        try (PidFile pidFile = PidFile.acquire(path, 7)) {
            assertThat(Files.readString(path)).isEqualTo("7\n");
        }
    }

    @Test
    void aSecondHolderInThisProcessIsRefusedWithQemuGasText() throws Exception {
        Path path = dir.resolve("busy.pid");
        try (PidFile first = PidFile.acquire(path, 1)) {
            assertThatThrownBy(() -> PidFile.acquire(path, 2))
                    .isInstanceOf(LaunchException.class)
                    .hasMessage("Cannot lock pid file: Resource temporarily unavailable");
            assertThat(Files.readString(path)).isEqualTo("1\n");
        }
    }

    /** The lock is an fcntl lock that another process sees, as with two qemu-ga instances. */
    @Test
    void aLockHeldByAnotherProcessIsRefusedWithQemuGasText() throws Exception {
        Path path = dir.resolve("other.pid");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PidFileHolder.class.getName(), path.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("locked");

            assertThatThrownBy(() -> PidFile.acquire(path, 2))
                    .isInstanceOf(LaunchException.class)
                    .hasMessage("Cannot lock pid file: Resource temporarily unavailable");
            assertThat(Files.readString(path)).isEqualTo(holder.pid() + "\n");
        } finally {
            holder.getOutputStream().close(); // the holder exits at the end of its stdin
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void anUnopenableFileGivesTheReason() {
        Path path = dir.resolve("missing-folder").resolve("x.pid");
        assertThatThrownBy(() -> PidFile.acquire(path, 1))
                .isInstanceOf(LaunchException.class)
                .hasMessage("Cannot open pid file: No such file or directory");
    }

    /** Runs in a child JVM: takes the pidfile, says so, holds it until stdin ends. */
    public static final class PidFileHolder {
        public static void main(String[] args) throws Exception {
            try (PidFile pidFile = PidFile.acquire(Path.of(args[0]), ProcessHandle.current().pid())) {
                System.out.println("locked");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait for the parent to close our stdin
                }
            }
        }
    }
}
