package dev.somnus.runtime.dispatch;

import static dev.somnus.api.command.JsonType.ARRAY;
import static dev.somnus.api.command.JsonType.BOOLEAN;
import static dev.somnus.api.command.JsonType.INTEGER;
import static dev.somnus.api.command.JsonType.STRING;
import static dev.somnus.api.command.Parameter.optional;
import static dev.somnus.api.command.Parameter.required;

import dev.somnus.api.command.CommandException;
import dev.somnus.runtime.protocol.ProtocolSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.osgi.service.log.Logger;

/** An engine with stand-ins for some qemu-ga commands, and helpers to talk to it. */
final class Fixture {

    final CommandTable table = new CommandTable();
    final Transcript transcript = new Transcript();
    final RecordingLogger log;
    final QgaEngine engine;
    final ProtocolSession session;

    final FakeCommand exec = new FakeCommand("guest-exec",
            List.of(required("path", STRING), optional("arg", ARRAY), optional("env", ARRAY),
                    optional("input-data", STRING), optional("capture-output", BOOLEAN)),
            true, args -> Map.of("pid", 1234L));
    final FakeCommand fileRead = new FakeCommand("guest-file-read",
            List.of(required("handle", INTEGER), optional("count", INTEGER)),
            true, args -> {
                throw new CommandException("handle '" + args.get("handle") + "' has not been found");
            });
    final FakeCommand execStatus = new FakeCommand("guest-exec-status", List.of(required("pid", INTEGER)),
            true, args -> {
                throw new CommandException("Invalid parameter 'pid'");
            });

    /** The standard set, with {@code -b guest-exec} as in vector V22. */
    Fixture() {
        this(Gate.of("guest-exec", null), false);
    }

    Fixture(Gate gate, boolean debug) {
        log = new RecordingLogger(debug);
        table.register(exec);
        table.register(fileRead);
        table.register(execStatus);
        engine = new QgaEngine(table, gate, QgaEngine.DEFAULT_VERSION, log.logger);
        session = engine.openSession(transcript, "test peer");
    }

    Logger logger() {
        return log.logger;
    }

    /** Sends bytes given as chars 0-255 and returns what came back (as chars 0-255). */
    String send(String request) {
        transcript.clear();
        feed(session, request);
        return transcript.text();
    }

    static void feed(ProtocolSession session, String request) {
        byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
        try {
            session.receive(bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes the vector file's notation: \xNN is a byte, \n is LF, the rest literal. */
    static String unescape(String notation) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < notation.length(); i++) {
            char c = notation.charAt(i);
            if (c == '\\' && i + 1 < notation.length() && notation.charAt(i + 1) == 'n') {
                out.append('\n');
                i++;
            } else if (c == '\\' && i + 3 < notation.length() && notation.charAt(i + 1) == 'x') {
                out.append((char) Integer.parseInt(notation.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
