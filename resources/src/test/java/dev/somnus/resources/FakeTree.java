package dev.somnus.resources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fake /proc and /sys under a test's folder, and the configuration that points a command at it. */
final class FakeTree {

    final Path root;

    FakeTree(Path root) {
        this.root = root;
    }

    /** Writes a file at a kernel path (e.g. "/sys/devices/system/cpu/cpu1/online"), making its folders. */
    FakeTree file(String kernelPath, String content) {
        Path file = path(kernelPath);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    FakeTree folder(String kernelPath) {
        try {
            Files.createDirectories(path(kernelPath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    String read(String kernelPath) {
        try {
            return Files.readString(path(kernelPath), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path(String kernelPath) {
        return root.resolve(kernelPath.substring(1));
    }

    /** How an error text shows a kernel path of this tree. */
    String shown(String kernelPath) {
        return root + kernelPath;
    }

    ResourcesConfiguration configuration() {
        return configuration(root.toString());
    }

    static ResourcesConfiguration configuration(String root) {
        return new ResourcesConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ResourcesConfiguration.class;
            }

            @Override
            public String root() {
                return root;
            }
        };
    }
}
