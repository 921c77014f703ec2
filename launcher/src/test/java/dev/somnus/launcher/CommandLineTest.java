package dev.somnus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options and configuration file, checked against what qemu-ga 7.2.22 prints for the same input. */
class CommandLineTest {

    @TempDir
    Path dir;

    private Map<String, String> env = Map.of("QGA_CONF", "/nonexistent/qemu-ga.conf");

    private CommandLine.Invocation parse(String... args) throws Exception {
        return CommandLine.parse("somnus-ga", args, env::get);
    }

    private Path config(String content) throws IOException {
        Path file = dir.resolve("qemu-ga.conf");
        Files.write(file, content.getBytes(StandardCharsets.ISO_8859_1));
        env = Map.of("QGA_CONF", file.toString());
        return file;
    }

    @Test
    void dumpOfTheDefaultsIsQemuGasByteForByte() throws Exception {
        CommandLine.Invocation invocation = parse("-D");

        assertThat(invocation.action).isEqualTo(CommandLine.Action.DUMP_CONF);
        assertThat(invocation.settings.dump()).isEqualTo("[general]\n"
                + "daemon=false\n"
                + "method=virtio-serial\n"
                + "path=/dev/virtio-ports/org.qemu.guest_agent.0\n"
                + "pidfile=/var/run/qemu-ga.pid\n"
                + "statedir=/var/run\n"
                + "verbose=false\n"
                + "retry-path=false\n"
                + "block-rpcs=\n");
    }

    @Test
    void blockListsReverseEachListAndAppendSourceBySource() throws Exception {
        config("[general]\nblock-rpcs=x,y\nverbose=1\n");

        AgentSettings settings = parse("-b", "a,b", "-b", "c", "--blacklist=d", "-D").settings;

        // qemu-ga 7.2.22: block-rpcs=y,x,b,a,c,d
        assertThat(settings.dump()).contains("\nblock-rpcs=y,x,b,a,c,d\n").contains("\nverbose=true\n");
    }

    @Test
    void emptyItemsSurviveAndAnEmptyListAddsNothing() throws Exception {
        config("[general]\nblock-rpcs=a,,b\n");
        assertThat(parse("-b", "", "-D").settings.dump()).contains("\nblock-rpcs=b,,a\n");
    }

    @Test
    void commandLineWinsOverTheFile() throws Exception {
        config("[general]\nmethod=isa-serial\npath=/dev/ttyS1\nstatedir=/s\nlogfile=/l\n");

        AgentSettings settings = parse("-m", "unix-listen", "--path=/tmp/a.sock", "-t/t").settings;

        assertThat(settings.method).isEqualTo("unix-listen");
        assertThat(settings.effectivePath()).isEqualTo("/tmp/a.sock");
        assertThat(settings.statedir).isEqualTo("/t");
        assertThat(settings.logfile).isEqualTo("/l");
    }

    @Test
    void dumpShowsEveryKeyInQemuGasOrder() throws Exception {
        config("[general]\nretry-path=0\ndaemon=1\nfsfreeze-hook=/h\npidfile=/p\nstatedir=/s\nlogfile=/l.log\n");

        assertThat(parse("-D").settings.dump()).isEqualTo("[general]\n"
                + "daemon=true\n"
                + "method=virtio-serial\n"
                + "path=/dev/virtio-ports/org.qemu.guest_agent.0\n"
                + "logfile=/l.log\n"
                + "pidfile=/p\n"
                + "fsfreeze-hook=/h\n"
                + "statedir=/s\n"
                + "verbose=false\n"
                + "retry-path=false\n"
                + "block-rpcs=\n");
    }

    @Test
    void allowListAppearsOnlyWhenGiven() throws Exception {
        assertThat(parse("-D").settings.dump()).doesNotContain("allow-rpcs");
        assertThat(parse("-a", "guest-ping,guest-info", "-a", "guest-sync", "-D").settings.dump())
                .endsWith("block-rpcs=\nallow-rpcs=guest-info,guest-ping,guest-sync\n");
        assertThat(parse("--allow-rpcs=", "-D").settings.allowRpcs).isEmpty();
    }

    @Test
    void serialMethodsHaveDefaultPathsAndOthersNeedOne() throws Exception {
        assertThat(parse("-m", "isa-serial").settings.effectivePath()).isEqualTo("/dev/ttyS0");
        assertThatThrownBy(() -> parse("-m", "unix-listen", "-D"))
                .isInstanceOf(LaunchException.class).hasMessage("must specify a path for this channel");
        assertThatThrownBy(() -> parse("-m", "vsock-listen"))
                .isInstanceOf(LaunchException.class).hasMessage("must specify a path for this channel");
    }

    @Test
    void shortOptionsClusterAndTakeGluedArguments() throws Exception {
        AgentSettings settings = parse("-vrmunix-listen", "-p/x.sock", "-l", "/l").settings;

        assertThat(settings.verbose).isTrue();
        assertThat(settings.retryPath).isTrue();
        assertThat(settings.method).isEqualTo("unix-listen");
        assertThat(settings.path).isEqualTo("/x.sock");
        assertThat(settings.logfile).isEqualTo("/l");
    }

    @Test
    void longOptionsMayBeAbbreviatedWhileUnambiguous() throws Exception {
        assertThat(parse("--verb", "--stat", "/s").settings.statedir).isEqualTo("/s");
        assertThatThrownBy(() -> parse("--bl", "x"))
                .isInstanceOf(UsageException.class)
                .hasMessage("somnus-ga: option '--bl' is ambiguous; possibilities: '--block-rpcs' '--blacklist'");
    }

    @Test
    void unknownOrIncompleteOptionsGiveGetoptsDiagnostics() {
        assertThatThrownBy(() -> parse("--bogus"))
                .isInstanceOf(UsageException.class).hasMessage("somnus-ga: unrecognized option '--bogus'");
        assertThatThrownBy(() -> parse("-z"))
                .isInstanceOf(UsageException.class).hasMessage("somnus-ga: invalid option -- 'z'");
        assertThatThrownBy(() -> parse("-m"))
                .isInstanceOf(UsageException.class).hasMessage("somnus-ga: option requires an argument -- 'm'");
        assertThatThrownBy(() -> parse("--path"))
                .isInstanceOf(UsageException.class).hasMessage("somnus-ga: option '--path' requires an argument");
        assertThatThrownBy(() -> parse("--verbose=yes"))
                .isInstanceOf(UsageException.class).hasMessage("somnus-ga: option '--verbose' doesn't allow an argument");
        assertThat(UsageException.hint("somnus-ga"))
                .isEqualTo("Unknown option, try 'somnus-ga --help' for more information.");
    }

    @Test
    void blockHelpListsCommandsAtOnceWhateverFollows() throws Exception {
        assertThat(parse("-b", "help", "--bogus-is-never-read").action).isEqualTo(CommandLine.Action.LIST_COMMANDS);
        assertThat(parse("-b?").action).isEqualTo(CommandLine.Action.LIST_COMMANDS);
        assertThat(parse("-a", "help").action).isEqualTo(CommandLine.Action.LIST_COMMANDS);
        // only the whole argument "help" asks for the list (qemu-ga 7.2.22 dumps this one)
        assertThat(parse("-b", "help,guest-ping", "-D").action).isEqualTo(CommandLine.Action.DUMP_CONF);
    }

    @Test
    void versionAndHelpWinAtTheirPlace() throws Exception {
        assertThat(parse("-V", "-D").action).isEqualTo(CommandLine.Action.VERSION);
        assertThat(parse("-D", "--help").action).isEqualTo(CommandLine.Action.HELP);
    }

    @Test
    void deprecatedAndUnsupportedSpellingsAreAcceptedWithAWarning() throws Exception {
        config("[general]\nblacklist=q\n");

        CommandLine.Invocation invocation = parse("--blacklist", "r", "-F", "stray");

        assertThat(invocation.settings.blockRpcs).containsExactly("q", "r");
        assertThat(invocation.settings.fsfreezeHook).isEqualTo(AgentSettings.DEFAULT_FSFREEZE_HOOK);
        assertThat(invocation.warnings).containsExactly(
                "config using deprecated 'blacklist' key, should be replaced with the 'block-rpcs' key.",
                "ignoring unexpected argument 'stray'",
                "option '--blacklist' is deprecated, use '--block-rpcs' instead");
    }

    @Test
    void fsfreezeHookTakesOnlyAGluedArgument() throws Exception {
        assertThat(parse("-F/x").settings.fsfreezeHook).isEqualTo("/x");
        assertThat(parse("--fsfreeze-hook=/y").settings.fsfreezeHook).isEqualTo("/y");
    }

    @Test
    void daemonizeIsReadSoItCanBeRefusedLater() throws Exception {
        assertThat(parse("-d").settings.daemon).isTrue();
        assertThat(parse("-d", "-D").settings.dump()).contains("\ndaemon=true\n");
    }

    @Test
    void aMissingDefaultFileIsIgnoredButAMissingConfigOptionFileIsNot() throws Exception {
        assertThat(parse().action).isEqualTo(CommandLine.Action.RUN);
        String missing = dir.resolve("none.conf").toString();
        assertThatThrownBy(() -> parse("-c", missing))
                .isInstanceOf(LaunchException.class)
                .hasMessage("error loading configuration from path: " + missing + ", No such file or directory");
    }

    @Test
    void configOptionReplacesTheEnvironmentsFile() throws Exception {
        config("[general]\nstatedir=/from-env\n");
        Path other = dir.resolve("other.conf");
        Files.writeString(other, "[general]\nstatedir=/from-option\n");

        assertThat(parse("--config", other.toString()).settings.statedir).isEqualTo("/from-option");
    }

    @Test
    void aBrokenFileStopsStartUpWithGlibsMessage() throws Exception {
        Path file = config("[general]\nverbose=yes\n");
        assertThatThrownBy(() -> parse("-V"))
                .isInstanceOf(LaunchException.class)
                .hasMessage("error loading configuration from path: " + file
                        + ", Key file contains key \u201cverbose\u201d which has a value that cannot be interpreted.");

        config("junk\n");
        assertThatThrownBy(() -> parse()).hasMessageEndingWith(
                ", Key file contains line \u201cjunk\u201d which is not a key-value pair, group, or comment");

        assertThatThrownBy(() -> CommandLine.parse("somnus-ga", new String[0], k -> dir.toString()))
                .hasMessage("error loading configuration from path: " + dir + ", Not a regular file");
    }

    @Test
    void booleansAreGlibsFour() throws Exception {
        config("[general]\nverbose=true \nretry-path=1\ndaemon=0\n");
        AgentSettings settings = parse().settings;
        assertThat(settings.verbose).isTrue();
        assertThat(settings.retryPath).isTrue();
        assertThat(settings.daemon).isFalse();

        config("[general]\nverbose=TRUE\n");
        assertThatThrownBy(() -> parse()).isInstanceOf(LaunchException.class);
    }

    @Test
    void dryRunIsSomnusOwnFlag() throws Exception {
        assertThat(parse("--dry-run").settings.dryRun).isTrue();
        assertThat(parse().settings.dryRun).isFalse();
    }

    @Test
    void doubleDashEndsOptions() throws Exception {
        CommandLine.Invocation invocation = parse("-v", "--", "-D");
        assertThat(invocation.action).isEqualTo(CommandLine.Action.RUN);
        assertThat(invocation.warnings).containsExactly("ignoring unexpected argument '-D'");
    }
}
