package dev.somnus.provider.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildProcess;
import dev.somnus.api.process.ChildSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderChildrenTest {

    @TempDir
    Path dir;

    private final ProcessBuilderChildProcesses reaper = new ProcessBuilderChildProcesses();

    @Test
    void closingEndsTheChildrenStillRunning() throws Exception {
        Path slow = dir.resolve("pm-hibernate");
        Files.writeString(slow, "#!/bin/sh\necho started > \"$0.log\"\nexec sleep 600\n");
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProviderChildren children = new ProviderChildren(reaper, "pmutils");
        ChildProcess child = children.spawn(ChildSpec.of(slow.toString()));
        while (!Files.exists(dir.resolve("pm-hibernate.log"))) {
            Thread.sleep(10);
        }

        children.close();

        ChildOutcome outcome = child.await();
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.kind()).isEqualTo(ChildOutcome.Kind.SIGNALLED);
    }

    @Test
    void afterClosingNothingStarts() throws Exception {
        ProviderChildren children = new ProviderChildren(reaper, "systemd");
        children.close();

        ChildOutcome outcome = children.spawn(ChildSpec.of("/bin/true")).await();

        assertThat(outcome.kind()).isEqualTo(ChildOutcome.Kind.FAILED_TO_START);
        assertThat(outcome.message()).isEqualTo("the systemd provider has been stopped");
        assertThat(reaper.spawned()).isEmpty();
    }

    /** A shutdown helper hands on the request that stops the agent: its provider's stop must not kill it. */
    @Test
    void closingLeavesAChildThatSurvivesTheStopRunning() throws Exception {
        Path slow = dir.resolve("shutdown");
        Files.writeString(slow, "#!/bin/sh\necho started > \"$0.log\"\nsleep 1\necho finished >> \"$0.log\"\n");
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProviderChildren children = new ProviderChildren(reaper, "sysv");
        ChildProcess child = children.spawn(ChildSpec.of(slow.toString()).survivingStop());
        while (!Files.exists(dir.resolve("shutdown.log"))) {
            Thread.sleep(10);
        }

        children.close();

        assertThat(child.await().succeeded()).isTrue();
        assertThat(Files.readAllLines(dir.resolve("shutdown.log"))).containsExactly("started", "finished");
    }
}
