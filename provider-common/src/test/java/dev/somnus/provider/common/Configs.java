package dev.somnus.provider.common;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds an instance of a component's configuration annotation from a few overrides, the rest
 * taking the annotation's defaults, the way DS hands a configuration to {@code @Activate}.
 */
public final class Configs {

    private Configs() {
    }

    /** @param overrides method name, value, method name, value, ... */
    public static <A> A of(Class<A> type, Object... overrides) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < overrides.length; i += 2) {
            values.put((String) overrides[i], overrides[i + 1]);
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            switch (method.getName()) {
                case "toString":
                    return type.getSimpleName() + values;
                case "hashCode":
                    return values.hashCode();
                case "equals":
                    return self == args[0];
                case "annotationType":
                    return type;
                default:
                    throw new IllegalStateException("no value for " + method.getName());
            }
        });
        return type.cast(proxy);
    }
}
