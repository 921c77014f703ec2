package dev.somnus.vmtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Reading a guest file over the protocol: guest-file-open, -read until eof, -close (qemu-ga's file commands). */
final class GuestFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private GuestFiles() {
    }

    static String read(AgentCalls agent, String path) throws Exception {
        ObjectNode open = JSON.createObjectNode().put("path", path).put("mode", "r");
        long handle = value(agent.call("guest-file-open", open, TIMEOUT), "guest-file-open " + path).asLong();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        try {
            while (true) {
                ObjectNode read = JSON.createObjectNode().put("handle", handle).put("count", 4096);
                JsonNode chunk = value(agent.call("guest-file-read", read, TIMEOUT), "guest-file-read " + path);
                content.write(Base64.getDecoder().decode(chunk.path("buf-b64").asText()));
                if (chunk.path("eof").asBoolean() || chunk.path("count").asInt() == 0) {
                    break;
                }
            }
        } finally {
            agent.call("guest-file-close", JSON.createObjectNode().put("handle", handle), TIMEOUT);
        }
        return content.toString(StandardCharsets.UTF_8);
    }

    private static JsonNode value(AgentChannel.Reply reply, String what) {
        if (reply.isError()) {
            throw new AssertionError(what + " failed: " + reply);
        }
        return reply.value();
    }
}
