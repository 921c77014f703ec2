package dev.somnus.inventory;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fake guest tree for the unit tests, and the configuration that points a command at it. */
final class GuestRoot {

    private GuestRoot() {
    }

    static InventoryConfig config(Path root) {
        return new InventoryConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return InventoryConfig.class;
            }

            @Override
            public String root() {
                return root.toString();
            }
        };
    }

    static Path write(Path root, String relative, String content) throws IOException {
        return write(root, relative, content.getBytes(StandardCharsets.UTF_8));
    }

    static Path write(Path root, String relative, byte[] content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }
}
