package dev.somnus.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import dev.somnus.freeze.FileSystemControl.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The freeze, thaw and frozen state on a fake guest, against qemu-ga 7.2's commands-posix.c/-linux.c. */
class GuestFreezeTest {

    @TempDir
    Path dir;

    FreezeFixture guest;

    @BeforeEach
    void fakeGuest() throws Exception {
        guest = new FreezeFixture(dir);
    }

    @Test
    void freezeGoesInReverseMountOrderSkipsPseudoFileSystemsAndDoesNotCountABindMountsEbusy() throws Exception {
        GuestFreeze freeze = guest.start();

        assertThat(freeze.freeze(FsfreezeFreezeCommand.NAME, null)).isEqualTo(2);

        // the frozen state comes before the first FIFREEZE ("cannot risk guest agent blocking itself")
        assertThat(guest.takeCalls()).containsExactly("publish", "freeze /data/again", "freeze /data", "freeze /srv");
        assertThat(freeze.status()).isEqualTo("frozen");
        assertThat(guest.marker()).exists().isEmptyFile();
        assertThat(Files.getPosixFilePermissions(guest.marker())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(guest.published).singleElement().asString().contains("by guest-fsfreeze-freeze: /data/again, /data, /srv");
        assertThat(guest.infos).contains("guest-fsfreeze called");
    }

    @Test
    void thawGoesInMountOrderAndCountsEachFileSystemOnce() throws Exception {
        GuestFreeze freeze = guest.start();
        freeze.freeze(FsfreezeFreezeCommand.NAME, null);
        guest.takeCalls();

        assertThat(freeze.thaw()).isEqualTo(2);

        assertThat(guest.takeCalls()).containsExactly("thaw /srv", "thaw /data", "thaw /data/again", "withdraw");
        assertThat(freeze.status()).isEqualTo("thawed");
        assertThat(guest.marker()).doesNotExist();
        assertThat(guest.fileSystems.frozen("sda2")).isFalse();
    }

    @Test
    void aThawWithNothingFrozenAnswersZero() throws Exception {
        GuestFreeze freeze = guest.start();

        assertThat(freeze.thaw()).isZero();

        assertThat(guest.takeCalls()).containsExactly("thaw /srv", "thaw /data", "thaw /data/again");
    }

    @Test
    void aFileSystemThatCannotFreezeIsSkippedUncounted() throws Exception {
        guest.fileSystems.failing("/srv", Step.IOCTL, FileSystemControl.EOPNOTSUPP, "Operation not supported");
        GuestFreeze freeze = guest.start();

        assertThat(freeze.freeze(FsfreezeFreezeCommand.NAME, null)).isEqualTo(1);
        assertThat(freeze.status()).isEqualTo("frozen");
    }

    @Test
    void nothingFrozenLeavesTheFrozenStateAgainWithoutTheThawHook() throws Exception {
        guest.hook = executableHook();
        GuestFreeze freeze = guest.start();

        assertThat(freeze.freeze(FsfreezeFreezeCommand.NAME, List.of("/nowhere", "data"))).isZero();

        assertThat(guest.takeCalls()).containsExactly("run " + guest.hook + " freeze", "publish", "withdraw");
        assertThat(freeze.status()).isEqualTo("thawed");
        assertThat(guest.marker()).doesNotExist();
    }

    @Test
    void freezeListTakesTheMountPointsGivenInReverseMountOrderStill() throws Exception {
        GuestFreeze freeze = guest.start();

        assertThat(freeze.freeze(FsfreezeFreezeCommand.NAME, List.of("/srv", "/data/again"))).isEqualTo(2);

        assertThat(guest.takeCalls()).containsExactly("publish", "freeze /data/again", "freeze /srv");
    }

    @Test
    void anEmptyListFreezesNothing() throws Exception {
        GuestFreeze freeze = guest.start();

        assertThat(freeze.freeze(FsfreezeFreezeCommand.NAME, List.of())).isZero();
        assertThat(guest.takeCalls()).containsExactly("publish", "withdraw");
    }

    @Test
    void aMountPointThatCannotBeOpenedFailsTheFreezeAndThawsWhatWasFrozen() throws Exception {
        guest.fileSystems.failing("/srv", Step.OPEN, 2, "No such file or directory");
        GuestFreeze freeze = guest.start();

        assertThatThrownBy(() -> freeze.freeze(FsfreezeFreezeCommand.NAME, null)).isInstanceOf(CommandException.class)
                .hasMessage("failed to open /srv: No such file or directory");

        assertThat(guest.takeCalls()).containsExactly("publish", "freeze /data/again", "freeze /data", "freeze /srv",
                "thaw /srv", "thaw /data", "thaw /data/again", "withdraw");
        assertThat(freeze.status()).isEqualTo("thawed");
        assertThat(guest.marker()).doesNotExist();
        assertThat(guest.fileSystems.frozen("sda2")).isFalse();
    }

    @Test
    void aFailedFifreezeNamesTheMountPointAndTheErrno() throws Exception {
        guest.hook = executableHook();
        guest.fileSystems.failing("/data", Step.IOCTL, 5, "Input/output error");
        GuestFreeze freeze = guest.start();

        assertThatThrownBy(() -> freeze.freeze(FsfreezeFreezeCommand.NAME, null)).hasMessage("failed to freeze /data: Input/output error");

        // the failure path is qmp_guest_fsfreeze_thaw: the thaw hook runs too
        assertThat(guest.takeCalls()).containsExactly("run " + guest.hook + " freeze", "publish",
                "freeze /data/again", "freeze /data", "thaw /srv", "thaw /data", "thaw /data/again", "withdraw",
                "run " + guest.hook + " thaw");
    }

    @Test
    void withoutAMountTableEveryCommandAnswersTheMtabError() throws Exception {
        guest.noMountTable();
        GuestFreeze freeze = guest.start();

        assertThatThrownBy(() -> freeze.freeze(FsfreezeFreezeCommand.NAME, null)).hasMessage("failed to open mtab file: '/proc/self/mounts'");
        assertThat(freeze.status()).isEqualTo("thawed");
        assertThatThrownBy(freeze::thaw).hasMessage("failed to open mtab file: '/proc/self/mounts'");
        assertThatThrownBy(() -> freeze.trim(0)).hasMessage("failed to open mtab file: '/proc/self/mounts'");
        assertThat(guest.takeCalls()).isEmpty();
    }

    @Test
    void aThawThatCannotReadTheMountTableStaysFrozen() throws Exception {
        GuestFreeze freeze = guest.start();
        freeze.freeze(FsfreezeFreezeCommand.NAME, null);
        guest.noMountTable();

        assertThatThrownBy(freeze::thaw).hasMessage("failed to open mtab file: '/proc/self/mounts'");
        assertThat(freeze.status()).isEqualTo("frozen");
        assertThat(guest.marker()).exists();
    }

    @Test
    void aMarkerLeftByAnEarlierAgentStartsFrozen() throws Exception {
        Files.createFile(guest.marker());

        GuestFreeze freeze = guest.start();

        assertThat(freeze.status()).isEqualTo("frozen");
        assertThat(guest.takeCalls()).containsExactly("publish");
        assertThat(guest.warnings).singleElement().asString().isEqualTo("previous instance appears to have exited "
                + "with frozen filesystems. disabling non-fsfreeze-safe commands until guest-fsfreeze-thaw is issued,"
                + " or filesystems are manually unfrozen and the file " + guest.marker() + " is removed");

        assertThat(freeze.thaw()).isZero();
        assertThat(freeze.status()).isEqualTo("thawed");
        assertThat(guest.marker()).doesNotExist();
    }

    @Test
    void aFreezeOrTrimThatWaitedForTheLockWhileAnotherFrozeIsRefusedAsTheRuntimeWould() throws Exception {
        GuestFreeze freeze = guest.start();
        freeze.freeze(FsfreezeFreezeCommand.NAME, null);
        guest.takeCalls();

        assertThatThrownBy(() -> freeze.freeze(FsfreezeFreezeListCommand.NAME, List.of("/srv")))
                .isInstanceOfSatisfying(CommandException.class,
                        e -> assertThat(e.errorClass()).isEqualTo(CommandException.COMMAND_NOT_FOUND))
                .hasMessage("Command guest-fsfreeze-freeze-list has been disabled: the agent is in frozen state");
        assertThatThrownBy(() -> freeze.trim(0))
                .hasMessage("Command guest-fstrim has been disabled: the agent is in frozen state");
        assertThat(guest.takeCalls()).isEmpty();
        assertThat(freeze.status()).isEqualTo("frozen");
    }

    @Test
    void aStoppingAgentThawsWhatItFroze() throws Exception {
        GuestFreeze freeze = guest.start();
        freeze.freeze(FsfreezeFreezeCommand.NAME, null);
        guest.takeCalls();

        freeze.stop();

        assertThat(guest.takeCalls()).containsExactly("thaw /srv", "thaw /data", "thaw /data/again", "withdraw");
        assertThat(guest.marker()).doesNotExist();
    }

    @Test
    void anUnwritableStateFolderIsWarnedAboutAndTheFreezeGoesOn() throws Exception {
        Files.delete(guest.stateDirectory);
        GuestFreeze freeze = guest.start();

        assertThat(freeze.freeze(FsfreezeFreezeCommand.NAME, null)).isEqualTo(2);
        assertThat(guest.warnings).containsExactly(
                "unable to create " + guest.marker() + ", fsfreeze may not function properly");
        assertThat(freeze.status()).isEqualTo("frozen");
    }

    @Test
    void theDeadlineThawsAFreezeTheHostNeverThawed() throws Exception {
        guest.thawAfter = Duration.ofMillis(300);
        GuestFreeze freeze = guest.start();
        freeze.freeze(FsfreezeFreezeCommand.NAME, null);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        // the warning follows the thaw (a log on a frozen file system would block the thread)
        while ((freeze.status().equals("frozen") || guest.warnings.isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(freeze.status()).isEqualTo("thawed");
        assertThat(guest.marker()).doesNotExist();
        assertThat(guest.calls).contains("thaw /srv", "withdraw");
        assertThat(guest.warnings).containsExactly("no guest-fsfreeze-thaw within 300 ms of the freeze: thawed 2 file "
                + "systems by itself (thawAfterSeconds in dev.somnus.freeze)");
        assertThat(freeze.thaw()).isZero();
    }

    @Test
    void aThawBeforeTheDeadlineCancelsIt() throws Exception {
        guest.thawAfter = Duration.ofMillis(300);
        GuestFreeze freeze = guest.start();
        freeze.freeze(FsfreezeFreezeCommand.NAME, null);
        freeze.thaw();
        freeze.freeze(FsfreezeFreezeCommand.NAME, List.of("/srv"));
        guest.takeCalls();

        Thread.sleep(100);
        assertThat(freeze.status()).isEqualTo("frozen");
        freeze.thaw();
        Thread.sleep(500);
        assertThat(guest.warnings).isEmpty();
    }

    @Test
    void theHookRunsWithFreezeBeforeAndThawAfter() throws Exception {
        guest.hook = executableHook();
        GuestFreeze freeze = guest.start();

        freeze.freeze(FsfreezeFreezeCommand.NAME, List.of("/srv"));
        freeze.thaw();

        assertThat(guest.takeCalls()).containsExactly("run " + guest.hook + " freeze", "publish", "freeze /srv",
                "thaw /srv", "thaw /data", "thaw /data/again", "withdraw", "run " + guest.hook + " thaw");
        assertThat(guest.infos).contains("executing fsfreeze hook with arg 'freeze'",
                "executing fsfreeze hook with arg 'thaw'");
    }

    @Test
    void aFailingFreezeHookStopsTheFreezeBeforeAnything() throws Exception {
        guest.hook = executableHook();
        guest.reaper.then(FakeHookRunner.exit(3));
        GuestFreeze freeze = guest.start();

        assertThatThrownBy(() -> freeze.freeze(FsfreezeFreezeCommand.NAME, null)).hasMessage("fsfreeze hook has failed with status 3");

        assertThat(guest.takeCalls()).containsExactly("run " + guest.hook + " freeze");
        assertThat(freeze.status()).isEqualTo("thawed");
    }

    @Test
    void aKilledHookTerminatedAbnormally() throws Exception {
        guest.hook = executableHook();
        guest.reaper.then(FakeHookRunner.killed(9));
        GuestFreeze freeze = guest.start();

        assertThatThrownBy(() -> freeze.freeze(FsfreezeFreezeCommand.NAME, null)).hasMessage("fsfreeze hook has terminated abnormally");
    }

    @Test
    void aFailingThawHookIsTheReplyButTheFileSystemsAreThawed() throws Exception {
        guest.hook = executableHook();
        guest.reaper.then(FakeHookRunner.exit(0)).then(FakeHookRunner.exit(2));
        GuestFreeze freeze = guest.start();
        freeze.freeze(FsfreezeFreezeCommand.NAME, null);

        assertThatThrownBy(freeze::thaw).hasMessage("fsfreeze hook has failed with status 2");

        assertThat(freeze.status()).isEqualTo("thawed");
        assertThat(guest.fileSystems.frozen("sda2")).isFalse();
    }

    @Test
    void aHookTheReaperRefusesSaysWhy() throws Exception {
        guest.hook = executableHook();
        guest.reaper.then(FakeHookRunner.notStarted(13, guest.hook + " is not run: its folder is writable by others"));
        GuestFreeze freeze = guest.start();

        assertThatThrownBy(() -> freeze.freeze(FsfreezeFreezeCommand.NAME, null)).hasMessage("fsfreeze hook has failed with status 1 ("
                + guest.hook + " is not run: its folder is writable by others)");
    }

    @Test
    void aHookThatCannotBeExecutedIsRefusedAsAccessAnswers() throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("hook-without-x"), "#!/bin/sh\n");
        guest.hook = notExecutable.toString();
        GuestFreeze freeze = guest.start();

        assertThatThrownBy(() -> freeze.freeze(FsfreezeFreezeCommand.NAME, null))
                .hasMessage("can't access fsfreeze hook '" + notExecutable + "': Permission denied");
        assertThatThrownBy(() -> freeze.explainFreeze(null))
                .hasMessage("can't access fsfreeze hook '" + notExecutable + "': Permission denied");

        GuestFreeze missing = withHook(dir.resolve("no-such-hook").toString());
        assertThatThrownBy(() -> missing.freeze(FsfreezeFreezeCommand.NAME, null))
                .hasMessage("can't access fsfreeze hook '" + dir.resolve("no-such-hook") + "': No such file or directory");
        assertThat(guest.takeCalls()).isEmpty();
    }

    @Test
    void withoutTheReaperTheHookCannotRun() throws Exception {
        guest.hook = executableHook();
        guest.reaperPresent = false;
        GuestFreeze freeze = guest.start();

        assertThatThrownBy(() -> freeze.freeze(FsfreezeFreezeCommand.NAME, null))
                .hasMessage("failed to create child process: the child process service is not available");
    }

    @Test
    void fstrimListsTheFileSystemsLastMountedFirstWithQemuGasTexts() throws Exception {
        guest.fileSystems.trimming("/srv", new FileSystemControl.Trimmed(4096, 512))
                .failing("/data", Step.IOCTL, FileSystemControl.EOPNOTSUPP, "Operation not supported")
                .failing("/data/again", Step.OPEN, 13, "Permission denied");
        GuestFreeze freeze = guest.start();

        assertThat(freeze.trim(512)).isEqualTo(java.util.Map.of("paths", List.of(
                java.util.Map.of("path", "/data/again", "error", "failed to open: Permission denied"),
                java.util.Map.of("path", "/data", "error", "trim not supported"),
                java.util.Map.of("path", "/srv", "minimum", 512L, "trimmed", 4096L))));
        assertThat(guest.takeCalls()).containsExactly("trim /srv 512", "trim /data 512", "trim /data/again 512");
        assertThat(guest.infos).contains("guest-fstrim called");
    }

    @Test
    void fstrimErrorsOtherThanUnsupportedCarryTheErrnoText() throws Exception {
        guest.fileSystems.failing("/srv", Step.IOCTL, FileSystemControl.ENOTTY, "Inappropriate ioctl for device")
                .failing("/data", Step.IOCTL, FileSystemControl.EINVAL, "Invalid argument");
        GuestFreeze freeze = guest.start();

        @SuppressWarnings("unchecked")
        List<java.util.Map<String, Object>> paths = (List<java.util.Map<String, Object>>) freeze.trim(-1).get("paths");

        assertThat(paths).extracting(result -> result.get("error"))
                .containsExactly(null, "failed to trim: Invalid argument", "trim not supported");
        assertThat(paths.get(0)).containsEntry("minimum", -1L).containsEntry("trimmed", 0L);
    }

    @Test
    void aTestTreeNeverFreezesTheFileSystemItLiesOn() throws Exception {
        guest.mountinfo("1 0 8:1 / / rw - ext4 /dev/sda1 rw\n" + FreezeFixture.MOUNTINFO);
        Files.createDirectories(guest.root.resolve("srv"));
        GuestFreeze freeze = guest.start();

        // the test folder lies on / here or on a file system of its own (a tmpfs /tmp): refused either way
        String refusal = "failed to freeze /srv: refused: " + guest.root.toRealPath().resolve("srv")
                + " is on the file system of ";
        assertThatThrownBy(() -> freeze.explainFreeze(null)).hasMessageStartingWith(refusal);
        assertThatThrownBy(() -> freeze.freeze(FsfreezeFreezeCommand.NAME, null)).hasMessageStartingWith(refusal);

        assertThat(guest.takeCalls()).doesNotContain("freeze /", "freeze /srv", "thaw /", "thaw /srv")
                .noneMatch(call -> call.startsWith("freeze"));
        assertThat(freeze.status()).isEqualTo("thawed");
        @SuppressWarnings("unchecked")
        List<java.util.Map<String, Object>> trimmed = (List<java.util.Map<String, Object>>) freeze.trim(0).get("paths");
        assertThat(trimmed.get(trimmed.size() - 1)).containsEntry("path", "/");
        assertThat((String) trimmed.get(trimmed.size() - 1).get("error"))
                .startsWith("failed to trim: refused: " + guest.root.toRealPath() + " is on the file system of ");
        assertThat(guest.takeCalls()).doesNotContain("trim / 0", "trim /srv 0");
    }

    @Test
    void aTestTreeNeverFollowsALinkOutOfIt() throws Exception {
        Files.createSymbolicLink(guest.root.resolve("srv"), Path.of("/"));
        GuestFreeze freeze = guest.start();

        assertThatThrownBy(() -> freeze.freeze(FsfreezeFreezeCommand.NAME, List.of("/srv")))
                .hasMessage("failed to freeze /srv: refused: / is outside the configured root " + guest.root.toRealPath());
        assertThat(guest.takeCalls()).noneMatch(call -> call.startsWith("freeze"));
    }

    @Test
    void theDryRunNamesWhatWouldBeFrozenThawedAndTrimmed() throws Exception {
        guest.hook = executableHook();
        GuestFreeze freeze = guest.start();

        assertThat(freeze.explainFreeze(null)).isEqualTo("run fsfreeze hook '" + guest.hook
                + "' freeze, then freeze 3 file systems in this order: /data/again, /data, /srv");
        assertThat(freeze.explainFreeze(List.of("/srv"))).isEqualTo("run fsfreeze hook '" + guest.hook
                + "' freeze, then freeze 1 file system in this order: /srv");
        assertThat(freeze.explainThaw()).isEqualTo("thaw 3 file systems in this order: /srv, /data, /data/again, "
                + "then run fsfreeze hook '" + guest.hook + "' thaw");
        assertThat(freeze.explainTrim(0)).isEqualTo("trim 3 file systems (minimum 0) in this order: /srv, /data, /data/again");
        assertThat(freeze.freezeTargets(null)).containsExactly(guest.root.resolve("data/again"),
                guest.root.resolve("data"), guest.root.resolve("srv"));
        assertThat(guest.takeCalls()).isEmpty();
        assertThat(freeze.status()).isEqualTo("thawed");
    }

    private GuestFreeze withHook(String hook) {
        guest.hook = hook;
        return guest.start();
    }

    private String executableHook() throws Exception {
        Path hook = dir.resolve("fsfreeze-hook");
        if (!Files.exists(hook)) {
            Files.writeString(hook, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        }
        return hook.toString();
    }
}
