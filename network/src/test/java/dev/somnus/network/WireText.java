package dev.somnus.network;

import dev.somnus.runtime.qmp.GrowableBytes;
import dev.somnus.runtime.qmp.JsonWriter;
import java.nio.charset.StandardCharsets;

/** A command's result as the agent writes it on the wire (agent-runtime's JsonWriter). */
final class WireText {

    private WireText() {
    }

    static String json(Object value) {
        GrowableBytes out = new GrowableBytes(256);
        JsonWriter.writeValue(out, value);
        return new String(out.array(), 0, out.length(), StandardCharsets.UTF_8);
    }

    /** The whole reply line's text without its newline: {@code {"return": <value>}}. */
    static String reply(Object value) {
        return "{\"return\": " + json(value) + "}";
    }
}
