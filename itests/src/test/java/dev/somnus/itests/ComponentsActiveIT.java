package dev.somnus.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.somnus.api.command.Command;
import dev.somnus.testkit.FakeGuest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Issue 11, as Felix SCR's own tests do it: with every bundle of the agent installed (the core, each
 * provider and each command family, pointed at a fake guest first), every {@code dev.somnus}
 * component is satisfied, and every command component is active, bound by the runtime's
 * whiteboard. A component that lost a reference or a configuration fails here by name, instead of
 * a command silently missing from guest-info.
 */
@RunWith(PaxExam.class)
public class ComponentsActiveIT extends AgentTestSupport {

    /** Every provider and family bundle, as the distribution's deploy/ holds them (the suspend commands come with the core set). */
    static final List<String> DEPLOYED = List.of("bundle.sysfs", "bundle.pmutils", "bundle.systemd",
            "bundle.inventory", "bundle.resources", "bundle.network", "bundle.storage", "bundle.files",
            "bundle.credentials", "bundle.exec", "bundle.freeze", "bundle.clock", "bundle.hwclock", "bundle.rtc",
            "bundle.power", "bundle.power-systemd", "bundle.power-sysv", "bundle.power-busybox");

    @Inject
    ConfigurationAdmin configurations;

    @Inject
    ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return new Option[] {agentFramework()};
    }

    @Test
    public void everyComponentOfOursIsSatisfiedAndEveryCommandActive() throws Exception {
        FakeGuest guest = new FakeGuest(Files.createTempDirectory("somnus-components-it"));
        for (Map.Entry<String, Map<String, String>> pid : guest.configuration().entrySet()) {
            configurations.getConfiguration(pid.getKey(), "?").update(new Hashtable<>(pid.getValue()));
        }
        List<Bundle> bundles = new ArrayList<>();
        for (String jar : DEPLOYED) {
            bundles.add(install(jar));
        }
        for (Bundle bundle : bundles) {
            bundle.start();
        }

        eventually("every dev.somnus component satisfied: " + unsatisfied(), 20, TimeUnit.SECONDS,
                () -> unsatisfied().isEmpty());

        List<ComponentDescriptionDTO> commands = new ArrayList<>();
        for (ComponentDescriptionDTO description : ours()) {
            if (List.of(description.serviceInterfaces).contains(Command.class.getName())) {
                commands.add(description);
            }
        }
        assertTrue("command components found: " + commands.size(), commands.size() >= 30);
        for (ComponentDescriptionDTO command : commands) {
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(command)) {
                assertEquals(command.name + " is active (bound by the whiteboard)", ComponentConfigurationDTO.ACTIVE,
                        configuration.state);
            }
        }
    }

    private List<ComponentDescriptionDTO> ours() {
        return scr.getComponentDescriptionDTOs().stream()
                .filter(d -> context.getBundle(d.bundle.id).getSymbolicName().startsWith("dev.somnus."))
                .collect(Collectors.toList());
    }

    /** Each of our components that is disabled, has no configuration object, or is not satisfied. */
    private List<String> unsatisfied() {
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO description : ours()) {
            if (!scr.isComponentEnabled(description)) {
                problems.add(description.name + " disabled");
                continue;
            }
            var configurations = scr.getComponentConfigurationDTOs(description);
            if (configurations.isEmpty()) {
                problems.add(description.name + " has no configuration (" + description.configurationPolicy + ")");
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                if (configuration.state != ComponentConfigurationDTO.SATISFIED
                        && configuration.state != ComponentConfigurationDTO.ACTIVE) {
                    problems.add(description.name + " state " + configuration.state + " unsatisfied references "
                            + List.of(configuration.unsatisfiedReferences).stream().map(r -> r.name)
                                    .collect(Collectors.toList()) + (configuration.failure == null ? ""
                                    : " failure " + configuration.failure));
                }
            }
        }
        return problems;
    }
}
