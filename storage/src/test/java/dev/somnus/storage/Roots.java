package dev.somnus.storage;

import java.lang.annotation.Annotation;
import java.nio.file.Path;

/** Configurations for tests: the storage commands reading the tree at a path. */
final class Roots {

    private Roots() {
    }

    static StorageConfig at(Path root) {
        return at(root.toString());
    }

    static StorageConfig at(String root) {
        return new StorageConfig() {
            @Override
            public String root() {
                return root;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return StorageConfig.class;
            }
        };
    }
}
