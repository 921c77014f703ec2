package dev.somnus.power.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Provider;
import dev.somnus.api.provider.Reasons;
import dev.somnus.provider.common.Configs;
import dev.somnus.provider.common.FakeProvider;
import dev.somnus.provider.common.NoLogger;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

/** guest-shutdown's own logic over scripted providers: the mode check, the dispatch, the texts. */
class GuestShutdownTest {

    private final List<String> journal = new CopyOnWriteArrayList<>();
    private final GuestShutdown command = new GuestShutdown(Configs.of(ShutdownSettings.class, "staleAfterSeconds", 0),
            NoLogger.create());

    private FakeProvider provider(String name, String mode, int baseRank, long serviceId, boolean available) {
        FakeProvider provider = new FakeProvider(journal, name, "shutdown", mode, baseRank, serviceId, available);
        command.addProvider(provider, reference(provider.properties::get));
        return provider;
    }

    @SuppressWarnings("unchecked")
    static ServiceReference<Provider> reference(Function<String, Object> properties) {
        return (ServiceReference<Provider>) Proxy.newProxyInstance(GuestShutdownTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "getProperty":
                            return properties.apply((String) args[0]);
                        case "hashCode":
                            return System.identityHashCode(self);
                        case "equals":
                            return self == args[0];
                        default:
                            return "FakeReference";
                    }
                });
    }

    @Test
    void itIsQemuGasCommand() {
        assertThat(command.name()).isEqualTo("guest-shutdown");
        assertThat(command.parameters()).containsExactly(Parameter.optional("mode", JsonType.STRING));
        assertThat(command.successResponse()).isFalse();
    }

    @Test
    void anyOtherModeIsRefusedWithQemuGasTextBeforeAnythingRuns() {
        provider("sysv", "powerdown", 200, 1, true);
        for (String mode : List.of("bogus", "", "POWERDOWN", "poweroff", "halt ")) {
            assertThatThrownBy(() -> command.execute(Map.of("mode", mode))).isInstanceOf(CommandException.class)
                    .hasMessage("mode is invalid (valid values are: halt|powerdown|reboot");
            assertThatThrownBy(() -> command.explain(Map.of("mode", mode)))
                    .hasMessage("mode is invalid (valid values are: halt|powerdown|reboot");
        }
        assertThat(journal).isEmpty();
    }

    @Test
    void noModeIsPowerdownAndEachModeGoesToItsOwnProviders() throws Exception {
        provider("sysv", "powerdown", 200, 1, true);
        provider("sysv", "halt", 200, 2, true);
        provider("sysv", "reboot", 200, 3, true);

        assertThat(command.execute(Map.of())).isEqualTo(Map.of());
        command.execute(Map.of("mode", "reboot"));
        command.execute(Map.of("mode", "halt"));
        command.execute(Map.of("mode", "powerdown"));

        assertThat(journal.stream().filter(line -> line.startsWith("perform")))
                .containsExactly("perform sysv", "perform sysv {mode=reboot}", "perform sysv {mode=halt}",
                        "perform sysv {mode=powerdown}");
        assertThat(command.explain(Map.of("mode", "halt"))).isEqualTo("run provider sysv: act sysv {mode=halt}");
    }

    @Test
    void aFailedProviderFallsThroughToTheNextAvailableOne() throws Exception {
        FakeProvider systemd = provider("systemd", "powerdown", 300, 1, true);
        provider("sysv", "powerdown", 200, 2, false);
        provider("busybox", "powerdown", 100, 3, true);
        systemd.outcome = Outcome.failed(Reasons.ACTION_FAILED, "'systemctl poweroff' returned an unexpected exit status code (1)");

        command.execute(Map.of());

        assertThat(journal.stream().filter(line -> line.startsWith("perform")))
                .containsExactly("perform systemd", "perform busybox");
    }

    @Test
    void whenEveryAvailableProviderFailsTheErrorNamesEachOne() {
        provider("systemd", "reboot", 300, 1, true).outcome = Outcome.failed(Reasons.ACTION_FAILED,
                "'systemctl reboot' returned an unexpected exit status code (1)");
        provider("sysv", "reboot", 200, 2, true).outcome = Outcome.failed(Reasons.ACTION_FAILED,
                "child process has failed to shutdown ('/sbin/shutdown -h -r +0 hypervisor initiated shutdown' exited"
                        + " with status 1)");

        assertThatThrownBy(() -> command.execute(Map.of("mode", "reboot"))).hasMessage("guest-shutdown failed with every"
                + " available provider: systemd: 'systemctl reboot' returned an unexpected exit status code (1); sysv:"
                + " child process has failed to shutdown ('/sbin/shutdown -h -r +0 hypervisor initiated shutdown'"
                + " exited with status 1)");
    }

    /** qemu-ga 7.2 would have run /sbin/shutdown anyway; where that cannot run it answers this. */
    @Test
    void withNoProviderAvailableItAnswersWhatQemuGaAnswersWhereShutdownCannotRun() {
        provider("systemd", "halt", 300, 1, false);
        provider("sysv", "powerdown", 200, 2, true);

        assertThatThrownBy(() -> command.execute(Map.of("mode", "halt"))).hasMessage("child process has failed to shutdown");
        assertThatThrownBy(() -> command.explain(Map.of("mode", "halt"))).hasMessage("child process has failed to shutdown");
        assertThat(journal.stream().filter(line -> line.startsWith("perform"))).isEmpty();
    }

    @Test
    void theDryRunExplanationNamesTheProviderARequestWouldRunFirstAndRunsNothing() throws Exception {
        provider("systemd", "powerdown", 300, 1, false);
        provider("sysv", "powerdown", 200, 2, true);

        assertThat(command.explain(Map.of())).isEqualTo("run provider sysv: act sysv");
        assertThat(journal.stream().filter(line -> line.startsWith("perform"))).isEmpty();
    }

    @Test
    void anUnboundProviderIsNoLongerTried() throws Exception {
        FakeProvider systemd = provider("systemd", "powerdown", 300, 1, true);
        provider("sysv", "powerdown", 200, 2, true);
        command.removeProvider(systemd);

        command.execute(Map.of());

        assertThat(journal.stream().filter(line -> line.startsWith("perform"))).containsExactly("perform sysv");
    }
}
