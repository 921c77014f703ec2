package dev.somnus.runtime.dispatch;

import static dev.somnus.runtime.dispatch.WhiteboardTest.protocolConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The launcher's -b/-a/version, as the protocol receives them from Config Admin. */
class ProtocolSettingsTest {

    @Test
    void theBlockListAndVersionBecomeTheGate() {
        ProtocolSettings settings = new ProtocolSettings();
        settings.activate(protocolConfig(new String[] {"guest-exec", "guest-ping"}, "7.2.22"), Map.of());

        assertThat(settings.gate().disabledDesc("guest-exec")).isEqualTo("Command guest-exec has been disabled");
        assertThat(settings.gate().disabledDesc("guest-ping")).isEqualTo("Command guest-ping has been disabled");
        assertThat(settings.gate().disabledDesc("guest-info")).isNull();
        assertThat(settings.version()).isEqualTo("7.2.22");
    }

    /** A file in conf/ would replace the whole configuration: an omitted blockRpcs would lift -b's list. */
    @Test
    void aConfigurationFromAFileIsRefused() {
        ProtocolSettings settings = new ProtocolSettings();

        assertThatThrownBy(() -> settings.activate(protocolConfig(new String[0], "7.2.22"),
                Map.of("felix.fileinstall.filename", "file:/opt/somnus/conf/dev.somnus.agent.protocol.cfg")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("configuration dev.somnus.agent.protocol comes from file:/opt/somnus/conf/");
        assertThat(settings.gate()).isNull();
    }
}
