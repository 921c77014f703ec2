package dev.somnus.reaper.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildProcess;
import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.process.ChildSpec;

/**
 * The reaper bundle inside Felix: it resolves with jnr embedded, spawns and reaps through the
 * service, takes its configuration from Config Admin, offers the shell command, and kills its
 * children when stopped.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ReaperIT {

    @Inject
    private BundleContext context;

    @Inject
    private ChildProcesses children;

    @Configuration
    public Option[] config() {
        return options(
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                systemProperty("org.ops4j.pax.url.mvn.localRepository")
                        .value(System.getProperty("org.ops4j.pax.url.mvn.localRepository", "")),
                jar("somnus.bundle.function"),
                jar("somnus.bundle.promise"),
                jar("somnus.bundle.component"),
                jar("somnus.bundle.scr"),
                jar("somnus.bundle.configadmin"),
                jar("somnus.bundle.log"),
                jar("somnus.bundle.gogo"),
                jar("somnus.bundle.api"),
                jar("somnus.bundle.jnr"),
                jar("somnus.bundle.reaper"),
                junitBundles());
    }

    private static Option jar(String property) {
        String path = System.getProperty(property);
        if (path == null || path.isEmpty()) {
            throw new IllegalStateException(property + " is not set: run this IT through failsafe");
        }
        return bundle(new File(path).toURI().toString());
    }

    private static ChildOutcome await(ChildProcess child) throws Exception {
        return child.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private Bundle reaperBundle() {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals("dev.somnus.reaper")) {
                return b;
            }
        }
        throw new AssertionError("reaper bundle not installed");
    }

    private ChildProcesses service() throws InterruptedException {
        ServiceTracker<ChildProcesses, ChildProcesses> tracker = new ServiceTracker<>(context, ChildProcesses.class, null);
        tracker.open();
        try {
            ChildProcesses service = tracker.waitForService(10_000);
            assertNotNull("ChildProcesses service", service);
            return service;
        } finally {
            tracker.close();
        }
    }

    @Test
    public void spawnsAndReapsThroughTheService() throws Exception {
        assertEquals(Bundle.ACTIVE, reaperBundle().getState());
        ChildOutcome ok = await(children.spawn(ChildSpec.of("/bin/true")));
        assertTrue(ok.describe(), ok.succeeded());

        ChildOutcome seven = await(children.spawn(ChildSpec.of("/bin/sh", "-c", "exit 7")));
        assertEquals(ChildOutcome.Kind.EXITED, seven.kind());
        assertEquals(7, seven.exitCode());

        ChildOutcome missing = await(children.spawn(ChildSpec.of("somnus-no-such-program")));
        assertEquals(ChildOutcome.Kind.FAILED_TO_START, missing.kind());
        assertEquals("No such file or directory", missing.message());
    }

    @Test
    public void trustedDirectoriesComeFromConfigAdmin() throws Exception {
        Path dir = Files.createTempDirectory("somnus-reaper-it");
        Path helper = dir.resolve("somnus-it-helper");
        Files.writeString(helper, "#!/bin/sh\nexit 42\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));

        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        org.osgi.service.cm.Configuration config = context.getService(ref).getConfiguration("dev.somnus.reaper", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("trusted.directories", dir.toString());
        config.update(props);
        try {
            ChildOutcome out = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) { // the update reaches the component asynchronously
                out = await(service().spawn(ChildSpec.of("somnus-it-helper")));
                if (out.kind() == ChildOutcome.Kind.EXITED) {
                    break;
                }
                Thread.sleep(50);
            }
            assertEquals(out.describe(), 42, out.exitCode());
        } finally {
            config.delete();
        }
    }

    @Test
    public void gogoRunsSomnusChildren() throws Exception {
        ServiceTracker<org.apache.felix.service.command.CommandProcessor, org.apache.felix.service.command.CommandProcessor> tracker =
                new ServiceTracker<>(context, org.apache.felix.service.command.CommandProcessor.class, null);
        tracker.open();
        ChildProcess sleeper = children.spawn(ChildSpec.of("/bin/sleep", "30").withTimeout(java.time.Duration.ofSeconds(90)));
        try {
            org.apache.felix.service.command.CommandProcessor processor = tracker.waitForService(10_000);
            assertNotNull("gogo CommandProcessor", processor);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (org.apache.felix.service.command.CommandSession session = processor.createSession(
                    new java.io.ByteArrayInputStream(new byte[0]), out, out)) {
                Object listing = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadline) { // gogo picks commands up asynchronously
                    try {
                        listing = session.execute("somnus:children");
                        break;
                    } catch (IllegalArgumentException notYetKnown) {
                        Thread.sleep(50);
                    }
                }
                assertNotNull("somnus:children ran", listing);
                String text = listing.toString();
                assertTrue(text, text.contains(Long.toString(sleeper.pid())));
                assertTrue(text, text.contains("90.0s"));
            }
        } finally {
            tracker.close();
            sleeper.cancel();
            await(sleeper);
        }
    }

    @Test
    public void theShellCommandListsRunningChildren() throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences((String) null,
                "(&(osgi.command.scope=somnus)(osgi.command.function=children))");
        assertNotNull("somnus:children command registered", refs);
        Object command = context.getService(refs[0]);
        ChildProcess sleeper = children.spawn(ChildSpec.of("/bin/sleep", "30"));
        try {
            String listing = (String) command.getClass().getMethod("children").invoke(command);
            assertTrue(listing, listing.contains(Long.toString(sleeper.pid())));
            assertTrue(listing, listing.contains("/bin/sleep 30"));
        } finally {
            sleeper.cancel();
            await(sleeper);
        }
    }

    @Test
    public void stoppingTheBundleKillsItsChildrenAndStartingItAgainWorks() throws Exception {
        ChildProcess sleeper = service().spawn(ChildSpec.of("/bin/sleep", "30"));
        Bundle reaper = reaperBundle();
        reaper.stop();
        try {
            ChildOutcome out = await(sleeper);
            assertEquals(ChildOutcome.Kind.SIGNALLED, out.kind());
            assertEquals(15, out.signal());
            assertFalse(Files.exists(Path.of("/proc", Long.toString(sleeper.pid()))));
        } finally {
            reaper.start();
        }
        ChildOutcome again = await(service().spawn(ChildSpec.of("/bin/sh", "-c", "exit 3")));
        assertEquals(again.describe(), 3, again.exitCode());
        assertNotNull(FrameworkUtil.getBundle(ChildProcesses.class));
    }

    @Test
    public void anUpdatedBundleLoadsItsNativeCodeAgainAndSpawns() throws Exception {
        Bundle reaper = reaperBundle();
        reaper.update(); // a new class loader: jffi loads its library a second time
        ChildOutcome out = await(service().spawn(ChildSpec.of("/bin/sh", "-c", "exit 5")));
        assertEquals(out.describe(), 5, out.exitCode());
    }
}
