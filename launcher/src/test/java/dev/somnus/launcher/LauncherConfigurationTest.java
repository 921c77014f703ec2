package dev.somnus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's own configurations, and why no file may stand in for them. */
class LauncherConfigurationTest {

    @TempDir
    Path dir;

    @Test
    void aFileForTheProtocolsPidIsRefusedInEitherWatchedFolder() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Files.writeString(conf.resolve("dev.somnus.agent.cfg"), "dryRun=false\n");
        Files.writeString(conf.resolve("dev.somnus.agent.protocolx.cfg"), "");
        assertThatCode(() -> LauncherConfiguration.refuseFiles(List.of(deploy, conf, dir.resolve("missing"))))
                .doesNotThrowAnyException();

        Path file = Files.writeString(deploy.resolve("dev.somnus.agent.protocol.config"), "");
        assertThatThrownBy(() -> LauncherConfiguration.refuseFiles(List.of(deploy, conf)))
                .isInstanceOf(LaunchException.class)
                .hasMessage(file + " would replace the block and allow lists (-b, -a) the launcher sets from"
                        + " qemu-ga's options and qemu-ga.conf (configuration dev.somnus.agent.protocol); remove it"
                        + " and give them on the command line or in qemu-ga.conf");
    }

    @Test
    void aFactoryFileForTheChannelsPidIsRefused() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("dev.somnus.agent.channel-second.cfg"), "");

        assertThatThrownBy(() -> LauncherConfiguration.refuseFiles(List.of(conf)))
                .hasMessageContaining("would replace the channel settings (-m, -p, -r)");
    }

    @Test
    void noShippedConfigurationNamesTheLaunchersPids() throws Exception {
        Path shipped = Path.of("../distribution/src/dist/conf");
        assertThat(shipped).isDirectory();
        try (Stream<Path> files = Files.list(shipped)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .isNotEmpty()
                    .noneMatch(name -> name.startsWith(LauncherConfiguration.CHANNEL_PID + ".")
                            || name.startsWith(LauncherConfiguration.PROTOCOL_PID + ".")
                            || name.startsWith(LauncherConfiguration.CHANNEL_PID + "-")
                            || name.startsWith(LauncherConfiguration.PROTOCOL_PID + "-"));
        }
        assertThatCode(() -> LauncherConfiguration.refuseFiles(List.of(shipped))).doesNotThrowAnyException();
    }
}
