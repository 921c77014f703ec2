package dev.somnus.exec;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.somnus.api.command.CommandException;
import dev.somnus.reaper.impl.Reaper;

/**
 * The two commands on one {@link ExecChildren}, with the real reaper (its plain class, outside
 * OSGi) running the children, as the bundle runs them.
 */
final class Fixture implements AutoCloseable {

    /** Configuration values, as Config Admin would give them. */
    record Config(int max_children, int output_cap) implements ExecConfig {
        static Config defaults() {
            return new Config(64, 16 * 1024 * 1024);
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return ExecConfig.class;
        }
    }

    final List<String> warnings = new CopyOnWriteArrayList<>();
    final Reaper reaper;
    final ExecChildren children;
    final GuestExecCommand exec;
    final GuestExecStatusCommand status;

    Fixture(ExecConfig config) {
        reaper = new Reaper(new Reaper.Settings("/usr/sbin:/usr/bin:/sbin:/bin", true, Duration.ofMillis(200)),
                new Reaper.Log() {
                    @Override
                    public void warn(String message) {
                        warnings.add("reaper: " + message);
                    }

                    @Override
                    public void error(String message, Throwable cause) {
                        warnings.add("reaper: " + message + ": " + cause);
                    }
                });
        children = new ExecChildren(reaper, warnings::add, config);
        exec = new GuestExecCommand(children);
        status = new GuestExecStatusCommand(children);
    }

    /** guest-exec's arguments, in the order given (also the order qemu-ga receives them). */
    static Map<String, Object> args(Object... keysAndValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** guest-exec; returns the pid. */
    long exec(Map<String, Object> arguments) throws CommandException {
        @SuppressWarnings("unchecked")
        Map<String, Object> reply = (Map<String, Object>) exec.execute(arguments);
        return (Long) reply.get("pid");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> status(long pid) throws CommandException {
        return (Map<String, Object>) status.execute(Map.of("pid", pid));
    }

    /** Polls guest-exec-status until exited, as a host does. */
    Map<String, Object> finished(long pid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Map<String, Object> reply = status(pid);
            if (Boolean.TRUE.equals(reply.get("exited"))) {
                return reply;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pid " + pid + " did not end: " + reply);
            }
            Thread.sleep(10);
        }
    }

    /** guest-exec, then its status once exited. */
    Map<String, Object> run(Map<String, Object> arguments) throws Exception {
        return finished(exec(arguments));
    }

    @Override
    public void close() {
        reaper.close();
    }
}
