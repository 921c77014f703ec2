package dev.somnus.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.somnus.testkit.QgaClient;
import java.time.Duration;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.Bundle;

/**
 * A host connected to the running agent sees a command bundle appear in guest-info and become
 * callable when it is installed, and answer CommandNotFound once it is uninstalled, all on one
 * connection that stays open throughout.
 */
@RunWith(PaxExam.class)
public class CommandWhiteboardIT extends AgentTestSupport {

    private static final String BOOT_INFO = "__dev.somnus.test_boot-info";

    @Configuration
    public Option[] config() {
        return new Option[] {agentFramework()};
    }

    @Test
    public void commandBundleComesAndGoesWhileTheHostStaysConnected() throws Exception {
        try (QgaClient host = QgaClient.connect(socket(), Duration.ofSeconds(10))) {
            host.sync();
            assertEquals("{\"return\": {}, \"id\": 1}", host.call("{\"execute\":\"guest-ping\",\"id\":1}"));
            assertFalse(host.call("{\"execute\":\"guest-info\"}").contains(BOOT_INFO));

            Bundle extra = install("bundle.testsupport");
            extra.start();
            String info = host.call("{\"execute\":\"guest-info\"}");
            assertTrue(info, info.contains("{\"enabled\": true, \"name\": \"" + BOOT_INFO + "\", \"success-response\": true}"));
            String bootInfo = host.call("{\"execute\":\"" + BOOT_INFO + "\",\"id\":\"b\"}");
            assertTrue(bootInfo, bootInfo.startsWith("{\"return\": {") && bootInfo.contains("\"boot-id\": \"")
                    && bootInfo.endsWith(", \"id\": \"b\"}"));

            extra.uninstall();
            assertEquals("{\"id\": \"c\", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command "
                    + BOOT_INFO + " has not been found\"}}", host.call("{\"execute\":\"" + BOOT_INFO + "\",\"id\":\"c\"}"));
            assertFalse(host.call("{\"execute\":\"guest-info\"}").contains(BOOT_INFO));
            assertEquals("{\"return\": {}}", host.call("{\"execute\":\"guest-ping\"}"));
        }
    }
}
