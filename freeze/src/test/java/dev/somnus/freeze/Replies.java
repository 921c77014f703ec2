package dev.somnus.freeze;

import dev.somnus.runtime.qmp.GrowableBytes;
import dev.somnus.runtime.qmp.JsonWriter;
import java.nio.charset.StandardCharsets;

/** A command's value as the agent writes its reply line (without the newline). */
final class Replies {

    private Replies() {
    }

    static String render(Object value) {
        GrowableBytes out = new GrowableBytes(256);
        out.put("{\"return\": ".getBytes(StandardCharsets.US_ASCII));
        JsonWriter.writeValue(out, value);
        out.put('}');
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
}
