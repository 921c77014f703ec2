package dev.somnus.provider.common;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.log.Logger;

/** An OSGi {@link Logger} for tests that keeps the format strings it was given. */
public final class NoLogger {

    private NoLogger() {
    }

    public static Logger create() {
        return recording(new CopyOnWriteArrayList<>());
    }

    /** A logger that adds {@code level: format} for every call to {@code lines}. */
    public static Logger recording(List<String> lines) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (self, method, args) -> {
                    if (method.getReturnType() == boolean.class) {
                        return true;
                    }
                    if (method.getReturnType() == String.class) {
                        return "test";
                    }
                    if (args != null && args.length > 0 && args[0] instanceof String) {
                        lines.add(method.getName() + ": " + args[0]);
                    }
                    return null;
                });
    }
}
