package dev.somnus.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.somnus.api.command.Command;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;

/** Every bundle of ours resolves and starts inside Felix, and a command bundle registers its command. */
@RunWith(PaxExam.class)
public class BundlesResolveIT extends AgentTestSupport {

    @Configuration
    public Option[] config() {
        return new Option[] {agentFramework()};
    }

    @Test
    public void coreBundlesAreActive() {
        for (String bsn : new String[] {"dev.somnus.api", "dev.somnus.reaper", "dev.somnus.agent.runtime"}) {
            assertEquals(bsn + " state", Bundle.ACTIVE, installed(bsn).getState());
        }
    }

    /**
     * The suspend commands are component-factory instances made when their bundle starts: present
     * once the framework is up, with no configuration at all, each naming its mode's providers.
     */
    @Test
    public void theSuspendCommandsArePresentWithoutConfiguration() {
        assertEquals("dev.somnus.suspend.commands state", Bundle.ACTIVE,
                installed("dev.somnus.suspend.commands").getState());
        for (String mode : new String[] {"disk", "ram", "hybrid"}) {
            ServiceReference<Command> ref = commandNamed("guest-suspend-" + mode);
            assertNotNull("guest-suspend-" + mode, ref);
            assertEquals("(&(somnus.provider.family=suspend)(somnus.provider.mode=" + mode + "))",
                    ref.getProperty("providers.target"));
            assertEquals(Boolean.TRUE, ref.getProperty(Command.ACTING));
        }
    }

    @Test
    public void providerBundlesResolveAndACommandBundleComesAndGoes() throws Exception {
        List<Bundle> providers = new ArrayList<>();
        for (String jar : new String[] {"bundle.sysfs", "bundle.pmutils", "bundle.systemd"}) {
            providers.add(install(jar));
        }
        // Resolve only: started with their default configuration they would probe the real machine.
        assertTrue("provider bundles resolve",
                context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(providers));
        Bundle testSupport = install("bundle.testsupport");
        testSupport.start();
        eventually("the boot-info command service", 5, TimeUnit.SECONDS, () -> commandNamed("__dev.somnus.test_boot-info") != null);
        assertNotNull(commandNamed("__dev.somnus.test_boot-info"));
        testSupport.uninstall();
        eventually("the boot-info command to go away", 5, TimeUnit.SECONDS, () -> commandNamed("__dev.somnus.test_boot-info") == null);
    }

    private ServiceReference<Command> commandNamed(String name) {
        try {
            Collection<ServiceReference<Command>> refs =
                    context.getServiceReferences(Command.class, "(" + Command.NAME_PROPERTY + "=" + name + ")");
            return refs.isEmpty() ? null : refs.iterator().next();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
