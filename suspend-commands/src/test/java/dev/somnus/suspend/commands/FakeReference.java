package dev.somnus.suspend.commands;

import dev.somnus.api.provider.Provider;
import java.lang.reflect.Proxy;
import java.util.function.Function;
import org.osgi.framework.ServiceReference;

/** A ServiceReference whose getProperty reads a live view, as the framework's does. */
final class FakeReference {

    private FakeReference() {
    }

    @SuppressWarnings("unchecked")
    static ServiceReference<Provider> of(Function<String, Object> properties) {
        return (ServiceReference<Provider>) Proxy.newProxyInstance(FakeReference.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "getProperty":
                            return properties.apply((String) args[0]);
                        case "hashCode":
                            return System.identityHashCode(self);
                        case "equals":
                            return self == args[0];
                        case "toString":
                            return "FakeReference";
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
