package dev.somnus.exec.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;

/**
 * The exec bundle inside Felix: both commands register with their policy properties once the
 * reaper is there, run a harmless child through it, and take max.children from Config Admin
 * without going away.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExecIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

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
                jar("somnus.bundle.api"),
                jar("somnus.bundle.jnr"),
                jar("somnus.bundle.reaper"),
                jar("somnus.bundle.exec"),
                junitBundles());
    }

    private static Option jar(String property) {
        String path = System.getProperty(property);
        if (path == null || path.isEmpty()) {
            throw new IllegalStateException(property + " is not set: run this IT through failsafe");
        }
        return bundle(new File(path).toURI().toString());
    }

    private ServiceReference<Command> reference(String name) throws Exception {
        String filter = "(&(objectClass=" + Command.class.getName() + ")(" + Command.NAME_PROPERTY + "=" + name + "))";
        ServiceTracker<Command, Command> tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
        tracker.open();
        try {
            assertNotNull(name + " registered", tracker.waitForService(10_000));
            return tracker.getServiceReference();
        } finally {
            tracker.close();
        }
    }

    private Command command(String name) throws Exception {
        return context.getService(reference(name));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> finished(Command status, long pid) throws Exception {
        for (int i = 0; i < 3000; i++) {
            Map<String, Object> reply = (Map<String, Object>) status.execute(Map.of("pid", pid));
            if (Boolean.TRUE.equals(reply.get("exited"))) {
                return reply;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("pid " + pid + " did not end");
    }

    @Test
    public void bothCommandsRegisterWithTheirPolicy() throws Exception {
        ServiceReference<Command> exec = reference("guest-exec");
        assertEquals(Boolean.TRUE, exec.getProperty(Command.AUDITED));
        assertEquals(Boolean.TRUE, exec.getProperty(Command.ACTING));
        ServiceReference<Command> status = reference("guest-exec-status");
        assertNull(status.getProperty(Command.AUDITED));
        assertNull(status.getProperty(Command.ACTING));
    }

    @Test
    @SuppressWarnings("unchecked")
    public void aHarmlessChildRunsThroughTheReaper() throws Exception {
        Command exec = command("guest-exec");
        Map<String, Object> started = (Map<String, Object>) exec.execute(
                Map.of("path", "/bin/echo", "arg", List.of("hi"), "capture-output", true));
        Map<String, Object> done = finished(command("guest-exec-status"), (Long) started.get("pid"));
        assertEquals(0L, done.get("exitcode"));
        assertEquals("aGkK", done.get("out-data"));
    }

    @Test
    @SuppressWarnings("unchecked")
    public void maxChildrenComesFromConfigAdminAndTheCommandsStay() throws Exception {
        Command exec = command("guest-exec");
        org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration("dev.somnus.exec", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("max.children", 1);
        configuration.update(properties);
        try {
            Map<String, Object> sleeping = (Map<String, Object>) exec.execute(Map.of("path", "sleep", "arg",
                    List.of("5")));
            long deadline = System.currentTimeMillis() + 10_000;
            while (true) {
                try {
                    // the configuration arrives asynchronously; once it has, a second child is refused
                    Map<String, Object> more = (Map<String, Object>) exec.execute(Map.of("path", "true"));
                    finished(command("guest-exec-status"), (Long) more.get("pid"));
                } catch (CommandException refused) {
                    assertTrue(refused.desc(), refused.desc().contains("still running (max.children of"
                            + " dev.somnus.exec is 1)"));
                    break;
                }
                if (System.currentTimeMillis() > deadline) {
                    fail("max.children=1 was never applied");
                }
                Thread.sleep(50);
            }
            assertEquals(exec, command("guest-exec")); // the same service: modified, not re-registered

            // leave nothing kept for the other tests, whenever the deletion below arrives
            long pid = (Long) sleeping.get("pid");
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            assertEquals(15L, finished(command("guest-exec-status"), pid).get("signal"));
        } finally {
            configuration.delete();
        }
    }
}
