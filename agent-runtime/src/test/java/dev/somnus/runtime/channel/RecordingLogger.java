package dev.somnus.runtime.channel;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.log.Logger;

/** An OSGi Logger that records "level: message" lines. */
final class RecordingLogger {

    final List<String> lines = new CopyOnWriteArrayList<>();
    final Logger logger;

    RecordingLogger() {
        logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    switch (name) {
                        case "error", "warn", "info", "debug", "trace", "audit" -> {
                            lines.add(name + ": " + args[0]);
                            return null;
                        }
                        case "getName" -> {
                            return "test";
                        }
                        case "toString" -> {
                            return "RecordingLogger";
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        default -> {
                            if (method.getReturnType() == boolean.class) {
                                return true;
                            }
                            return null;
                        }
                    }
                });
    }

    List<String> at(String level) {
        String prefix = level + ": ";
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }
}
