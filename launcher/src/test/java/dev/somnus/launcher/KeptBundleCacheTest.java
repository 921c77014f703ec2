package dev.somnus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.launch.Framework;

/**
 * --bundle-cache: the framework keeps its cache, so a second start finds bundle/ installed and
 * started from the first one, and still runs exactly the bundles bundle/ holds now.
 */
class KeptBundleCacheTest {

    @TempDir
    Path dir;

    private Framework framework;
    private final AgentLog log = new AgentLog(OutputStream.nullOutputStream(), false, false, Clock.systemUTC());

    @AfterEach
    void stop() {
        if (framework != null) {
            AgentFramework.stopQuietly(framework);
        }
    }

    private Path bundle(String name, String version) throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", name);
        main.putValue("Bundle-Version", version);
        Path jar = dir.resolve("bundle").resolve(name + ".jar");
        Files.createDirectories(jar.getParent());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            out.flush();
        }
        Files.write(jar, bytes.toByteArray());
        return jar;
    }

    private Map<String, String> properties(String... args) throws Exception {
        AgentSettings settings = CommandLine.parse("somnus-ga", args, k -> null).settings;
        StateFolder state = StateFolder.create(dir.resolve("state").toString());
        return AgentFramework.properties(settings, state, dir.resolve("deploy").toString());
    }

    private Framework start(String... args) throws Exception {
        framework = AgentFramework.start(properties(args), AgentFramework.jars(dir.resolve("bundle")), Map.of(), log);
        return framework;
    }

    private void restart(String... args) throws Exception {
        AgentFramework.stopQuietly(framework);
        framework = null;
        start(args);
    }

    private Bundle installed(String name) {
        return Arrays.stream(framework.getBundleContext().getBundles())
                .filter(b -> name.equals(b.getSymbolicName())).findFirst().orElse(null);
    }

    @Test
    void theKeptCacheIsWhereTheOptionSaysAndIsNotCleaned() throws Exception {
        StateFolder state = StateFolder.create(dir.resolve("state").toString());
        AgentSettings settings = CommandLine.parse("somnus-ga",
                new String[] {"--bundle-cache", dir.resolve("kept").toString()}, k -> null).settings;

        Map<String, String> p = AgentFramework.properties(settings, state, "deploy");

        assertThat(p).containsEntry("org.osgi.framework.storage", dir.resolve("kept").toString())
                .containsEntry("ds.cache.metadata", "true")
                .doesNotContainKey("org.osgi.framework.storage.clean");
    }

    @Test
    void aSecondStartReusesTheInstalledBundles() throws Exception {
        bundle("one", "1.0.0");
        bundle("two", "1.0.0");
        String cache = dir.resolve("kept").toString();
        start("--bundle-cache", cache);
        long one = installed("one").getBundleId();

        restart("--bundle-cache", cache);

        assertThat(installed("one").getBundleId()).isEqualTo(one);
        assertThat(installed("one").getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(installed("two").getState()).isEqualTo(Bundle.ACTIVE);
    }

    @Test
    void withoutTheOptionEveryStartInstallsAfresh() throws Exception {
        bundle("one", "1.0.0");
        start();
        long first = installed("one").getLastModified();
        Thread.sleep(5);

        restart();

        assertThat(installed("one").getLastModified()).isGreaterThan(first);
    }

    @Test
    void aJarGoneFromBundleFolderIsUninstalledAndAChangedOneUpdated() throws Exception {
        bundle("one", "1.0.0");
        Path two = bundle("two", "1.0.0");
        String cache = dir.resolve("kept").toString();
        start("--bundle-cache", cache);
        Files.delete(two);
        Path one = bundle("one", "2.0.0");
        Files.setLastModifiedTime(one, FileTime.fromMillis(System.currentTimeMillis() + 60_000));

        restart("--bundle-cache", cache);

        assertThat(installed("two")).isNull();
        assertThat(installed("one").getVersion().toString()).isEqualTo("2.0.0");
        assertThat(installed("one").getState()).isEqualTo(Bundle.ACTIVE);
    }

    @Test
    void fromAnAssembledCacheTheRuntimeStartsBeforeFileinstallOtherwiseAfter() throws Exception {
        bundle("org.apache.felix.fileinstall", "3.7.4");
        bundle("dev.somnus.agent.runtime", "1.0.0");
        bundle("org.apache.felix.scr", "2.2.0");
        start();
        Bundle fileinstall = installed("org.apache.felix.fileinstall");
        Bundle runtime = installed("dev.somnus.agent.runtime");
        Bundle scr = installed("org.apache.felix.scr");

        assertThat(AgentFramework.startRank(runtime, false)).isGreaterThan(AgentFramework.startRank(fileinstall, false));
        assertThat(AgentFramework.startRank(runtime, true)).isLessThan(AgentFramework.startRank(fileinstall, true));
        assertThat(AgentFramework.startRank(scr, true)).isLessThan(AgentFramework.startRank(runtime, true));
    }

    @Test
    void aCacheCountsAsAssembledOnlyForAStartOfTheSameKind() throws Exception {
        bundle("one", "1.0.0");
        String cache = dir.resolve("kept").toString();
        start("--bundle-cache", cache);
        var context = framework.getBundleContext();

        assertThat(AgentFramework.isAssembled(context, properties("--bundle-cache", cache))).isTrue();
        // a dry run's stored configuration must not serve a normal start's first answer, nor the reverse
        assertThat(AgentFramework.isAssembled(context, properties("--bundle-cache", cache, "--dry-run"))).isFalse();
        Files.delete(dir.resolve("kept").resolve(AgentFramework.ASSEMBLY_MARKER));
        assertThat(AgentFramework.isAssembled(context, properties("--bundle-cache", cache))).isFalse();
    }

    @Test
    void aFreshCacheIsNeverAssembled() throws Exception {
        bundle("one", "1.0.0");
        start();

        assertThat(AgentFramework.isAssembled(framework.getBundleContext(), properties())).isFalse();
    }

    @Test
    void bundlesAreNotRestartedByTheFrameworkOutOfTheLaunchersOrder() throws Exception {
        bundle("one", "1.0.0");
        String cache = dir.resolve("kept").toString();
        start("--bundle-cache", cache);
        AgentFramework.stopQuietly(framework);

        // The framework alone, without the launcher's starts: the bundle stays resolved or installed.
        Map<String, Object> config = new java.util.HashMap<>(Map.of("org.osgi.framework.storage", cache));
        framework = new org.apache.felix.framework.Felix(config);
        framework.start();

        assertThat(installed("one").getState()).isNotEqualTo(Bundle.ACTIVE);
        assertThat(List.of(framework.getBundleContext().getBundles())).hasSize(2);
    }

    @Test
    void aCacheFolderOthersCanWriteIsRefusedAndAMissingOneIsMadeForTheAgentAlone() throws Exception {
        TrustedFolder trust = TrustedFolder.forThisProcess();
        Path open = Files.createDirectories(dir.resolve("open-cache"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> AgentFramework.keptCache(open.toString(), trust))
                .isInstanceOf(LaunchException.class)
                .hasMessage("refusing to keep the bundle cache in " + open.toRealPath()
                        + ": it is writable by group and others; whoever can write there could run code in"
                        + " this agent. Give it to the agent's user or root, without write access for group and"
                        + " others, and restart the agent");

        Path fresh = AgentFramework.keptCache(dir.resolve("images/cache").toString(), trust);
        assertThat(fresh).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rwx------");
    }
}
