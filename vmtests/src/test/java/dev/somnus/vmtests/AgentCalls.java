package dev.somnus.vmtests;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/** A way to send one agent command and get its reply: the chardev socket directly, or libvirt. */
interface AgentCalls {

    AgentChannel.Reply call(String command, ObjectNode arguments, Duration timeout) throws Exception;

    default AgentChannel.Reply call(String command) throws Exception {
        return call(command, null, Duration.ofSeconds(30));
    }
}
