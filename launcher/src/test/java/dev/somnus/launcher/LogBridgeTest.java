package dev.somnus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

class LogBridgeTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final LogBridge bridge = new LogBridge(new AgentLog(out, false, true,
            Clock.fixed(Instant.ofEpochSecond(100), ZoneOffset.UTC)));

    private static Bundle bundle(String symbolicName) {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> method.getName().equals("getSymbolicName") ? symbolicName : null);
    }

    private static LogEntry entry(String bundle, String logger, LogLevel level, String message, Throwable e) {
        return (LogEntry) Proxy.newProxyInstance(LogEntry.class.getClassLoader(), new Class<?>[] {LogEntry.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getBundle": return bundle == null ? null : bundle(bundle);
                        case "getLoggerName": return logger;
                        case "getLogLevel": return level;
                        case "getMessage": return message;
                        case "getException": return e;
                        default: return null;
                    }
                });
    }

    private String logged() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void levelsMapToQemuGasNames() {
        bridge.logged(entry("dev.somnus.reaper", "r", LogLevel.AUDIT, "a", null));
        bridge.logged(entry("dev.somnus.reaper", "r", LogLevel.ERROR, "e", new IllegalStateException("why")));
        bridge.logged(entry("dev.somnus.reaper", "r", LogLevel.WARN, "w", null));
        bridge.logged(entry("dev.somnus.reaper", "r", LogLevel.INFO, "i", null));
        bridge.logged(entry("dev.somnus.reaper", "r", LogLevel.TRACE, "t", null));

        assertThat(logged()).isEqualTo("100.000000: message: a\n"
                + "100.000000: error: e: java.lang.IllegalStateException: why\n"
                + "100.000000: warning: w\n"
                + "100.000000: info: i\n"
                + "100.000000: debug: t\n");
    }

    @Test
    void frameworkChatterIsLeftOutEvenWhenVerbose() {
        bridge.logged(entry("org.apache.felix.scr", "Events.Bundle", LogLevel.INFO, "BundleEvent STARTED", null));
        bridge.logged(entry("org.apache.felix.configadmin", "x", LogLevel.DEBUG, "listing", null));
        bridge.logged(entry("dev.somnus.agent.runtime", "dev.somnus.runtime.channel.AgentChannel", LogLevel.DEBUG,
                "bundle dev.somnus.agent.runtime:0.1.0 (10)[AgentChannel(0)] : Component created", null));
        bridge.logged(entry(null, "ROOT", LogLevel.DEBUG, "no bundle", null));

        assertThat(logged()).isEmpty();
    }

    @Test
    void ourOwnDebugAndEveryonesWarningsStay() {
        bridge.logged(entry("dev.somnus.agent.runtime", "dev.somnus.runtime.channel.AgentChannel", LogLevel.DEBUG,
                "QGA protocol 7.2.22 ready", null));
        bridge.logged(entry("org.apache.felix.scr", "Events.Bundle", LogLevel.ERROR, "bundle failed", null));
        bridge.logged(entry("org.apache.felix.fileinstall", "x", LogLevel.INFO, "Installing bundle", null));

        assertThat(logged()).isEqualTo("100.000000: debug: QGA protocol 7.2.22 ready\n"
                + "100.000000: error: bundle failed\n"
                + "100.000000: info: Installing bundle\n");
    }
}
