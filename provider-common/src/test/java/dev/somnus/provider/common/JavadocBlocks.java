package dev.somnus.provider.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A source check for the provider modules: a Javadoc block directly followed by another one
 * documents nothing (javadoc keeps only the second), which is how a method's comment once ended up
 * above its neighbour's (issue 11).
 */
public final class JavadocBlocks {

    private static final Pattern STACKED = Pattern.compile("\\*/\\s*/\\*\\*");

    private JavadocBlocks() {
    }

    /** Fails naming each file under {@code sources} (the module's src/main/java) with stacked blocks. */
    public static void assertNoneStacked(Path sources) throws IOException {
        assertThat(sources).isDirectory();
        List<String> stacked = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                Matcher m = STACKED.matcher(Files.readString(file));
                while (m.find()) {
                    stacked.add(file + " at offset " + m.start());
                }
            }
        }
        assertThat(stacked).as("stacked Javadoc blocks").isEmpty();
    }
}
