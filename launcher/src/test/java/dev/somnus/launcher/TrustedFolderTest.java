package dev.somnus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot deploy must not become code execution as root: who may write where fileinstall reads. */
class TrustedFolderTest {

    @TempDir
    Path tmp;

    private Path deploy;
    private TrustedFolder trust;

    @BeforeEach
    void aTidyFolder() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        deploy = Files.createDirectory(tmp.resolve("deploy"));
        Files.setPosixFilePermissions(deploy, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(deploy.resolve("provider.jar"), "jar");
        Files.setPosixFilePermissions(deploy.resolve("provider.jar"), PosixFilePermissions.fromString("rw-r--r--"));
        trust = TrustedFolder.forThisProcess();
    }

    @Test
    void aFolderOfTheAgentsUserWithoutGroupOrOtherWriteIsTrusted() {
        assertThat(trust.problem(deploy)).isNull();
    }

    @Test
    void aFolderThatDoesNotExistHasNothingToLoad() {
        assertThat(trust.problem(tmp.resolve("none"))).isNull();
    }

    @Test
    void groupOrOtherWriteOnTheFolderIsRefused() throws Exception {
        Files.setPosixFilePermissions(deploy, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThat(trust.problem(deploy)).isEqualTo("is writable by group");

        Files.setPosixFilePermissions(deploy, PosixFilePermissions.fromString("rwxr-xrwx"));
        assertThat(trust.problem(deploy)).isEqualTo("is writable by others");
    }

    @Test
    void aWritableEntryIsRefusedToo() throws Exception {
        Files.setPosixFilePermissions(deploy.resolve("provider.jar"), PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThat(trust.problem(deploy)).isEqualTo("holds provider.jar, which is writable by group and others");
    }

    @Test
    void aWritableFolderAboveIsRefusedUnlessSticky() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(trust.problem(deploy)).isEqualTo("lies below " + tmp.toRealPath() + ", which is writable by group and others");

        Files.setAttribute(tmp, "unix:mode", 01777);
        assertThat(trust.problem(deploy)).isNull();
    }

    @Test
    void aLinkIsJudgedByWhatItPointsAt() throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), open);

        assertThat(trust.problem(link)).isEqualTo("is writable by group and others");
    }

    @Test
    void anotherUsersFolderIsRefused() throws Exception {
        TrustedFolder asSomeoneElse = new TrustedFolder(trust.agentUid() + 4242);
        int owner = trust.agentUid();
        if (owner == 0) {
            // root's files are accepted for any agent: give the folder to a third user instead
            Files.setAttribute(deploy, "unix:uid", 4243);
            owner = 4243;
        }

        assertThat(asSomeoneElse.problem(deploy)).isEqualTo("is owned by uid " + owner
                + ", not by the agent's user (uid " + (trust.agentUid() + 4242) + ") or root");
    }

    @Test
    void refusedFoldersAreLeftOutAndLoggedAsErrors() throws Exception {
        Path conf = Files.createDirectory(tmp.resolve("conf"));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwxrwxrwx"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgentLog log = new AgentLog(out, false, false, Clock.systemUTC());

        WatchedFolders folders = WatchedFolders.choose(List.of(deploy, conf), tmp.resolve("empty"), trust, log);

        assertThat(folders.fileinstallDir()).isEqualTo(deploy.toString());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(": error: refusing to load bundles or configuration from "
                + conf + ": it is writable by group and others;");
        assertThat(folders.recheck()).isNull();

        Files.setPosixFilePermissions(deploy, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThat(folders.recheck()).isEqualTo(deploy + ": it is writable by group");
    }

    @Test
    void withEveryFolderRefusedFileinstallWatchesAnEmptyOne() throws Exception {
        Files.setPosixFilePermissions(deploy, PosixFilePermissions.fromString("rwxrwxrwx"));
        AgentLog log = new AgentLog(new ByteArrayOutputStream(), false, false, Clock.systemUTC());

        WatchedFolders folders = WatchedFolders.choose(List.of(deploy), tmp.resolve("empty"), trust, log);

        assertThat(folders.fileinstallDir()).isEqualTo(tmp.resolve("empty").toString());
    }
}
