package dev.somnus.runtime.dispatch;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.log.Logger;

/** An OSGi {@link Logger} for tests: keeps "LEVEL message" lines, with {} placeholders filled in. */
final class RecordingLogger {

    final List<String> lines = new ArrayList<>();
    final List<Throwable> exceptions = new ArrayList<>();
    private final boolean debug;
    final Logger logger;

    RecordingLogger(boolean debug) {
        this.debug = debug;
        this.logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.startsWith("is") && name.endsWith("Enabled")) {
                        return debug || !(name.equals("isDebugEnabled") || name.equals("isTraceEnabled"));
                    }
                    if (name.equals("getName")) {
                        return "test";
                    }
                    if (args != null && args.length > 0 && args[0] instanceof String) {
                        record(name, args);
                    }
                    return null;
                });
    }

    /** A logger that records nothing and says debug is off. */
    static Logger silent() {
        return new RecordingLogger(false).logger;
    }

    List<String> lines(String level) {
        return lines.stream().filter(l -> l.startsWith(level + " ")).map(l -> l.substring(level.length() + 1)).toList();
    }

    private synchronized void record(String level, Object[] args) {
        if (!debug && (level.equals("debug") || level.equals("trace"))) {
            return;
        }
        List<Object> values = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i] instanceof Object[] varargs) {
                values.addAll(List.of(varargs));
            } else {
                values.add(args[i]);
            }
        }
        String format = (String) args[0];
        StringBuilder text = new StringBuilder();
        int next = 0;
        int from = 0;
        for (int at = format.indexOf("{}"); at >= 0; at = format.indexOf("{}", from)) {
            text.append(format, from, at).append(next < values.size() ? values.get(next++) : "{}");
            from = at + 2;
        }
        text.append(format.substring(from));
        if (next < values.size() && values.get(values.size() - 1) instanceof Throwable t) {
            exceptions.add(t);
        }
        lines.add(level + " " + text);
    }
}
