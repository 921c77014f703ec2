package dev.somnus.resources;

import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/**
 * A /proc file read line by line as qemu-ga reads /proc/stat and /proc/diskstats ({@code fopen},
 * then {@code getline} to the end), failing with {@code open("<path>"): <strerror>}.
 */
final class ProcLines {

    private ProcLines() {
    }

    static List<String> read(SystemRoot root, String kernelPath) throws CommandException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(root.path(kernelPath));
        } catch (IOException e) {
            throw CallFailure.withErrno("open(\"" + root.shown(kernelPath) + "\")", e).toCommandException();
        }
        // device names are written as qemu writes any string: UTF-8, invalid bytes as U+FFFD
        return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }
}
