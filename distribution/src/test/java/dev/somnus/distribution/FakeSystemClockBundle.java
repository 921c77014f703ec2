package dev.somnus.distribution;

import dev.somnus.distribution.fakeclock.FakeSystemClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Builds the fake system clock's bundle ({@link FakeSystemClock}) on the fly, from the test's own
 * compiled class, and drops it into an agent's deploy/: the only SystemClock such an agent ever
 * has, since its conf/ switches the real one off (FakeGuest#configuration) and the real one needs
 * that configuration to exist at all. The times it is asked to set go to {@link #file}.
 */
final class FakeSystemClockBundle {

    final Path file;

    private FakeSystemClockBundle(Path file) {
        this.file = file;
    }

    /** Writes the bundle beside deploy/ and renames it into deploy/, so fileinstall never sees half a jar. */
    static FakeSystemClockBundle deployInto(AgentUnderTest agent) throws IOException {
        FakeSystemClockBundle bundle = new FakeSystemClockBundle(agent.dir.resolve("system-clock.log"));
        Path staged = agent.home.resolve("fake-system-clock.jar.part");
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "dev.somnus.test.fakeclock");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", FakeSystemClock.class.getName());
        main.putValue("Import-Package", "dev.somnus.clock;version=\"[1.0,2)\",org.osgi.framework");
        main.putValue(FakeSystemClock.FILE_HEADER, bundle.file.toString());
        try (OutputStream out = Files.newOutputStream(staged); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (Class<?> type : List.of(FakeSystemClock.class)) {
                String entry = type.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(entry));
                try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        Files.move(staged, agent.home.resolve("deploy/fake-system-clock.jar"), StandardCopyOption.ATOMIC_MOVE);
        return bundle;
    }

    /** Once its service is registered (it creates the file then). */
    boolean active() {
        return Files.exists(file);
    }

    /** Every time it was asked to set, in order. */
    List<Long> sets() throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(Long::parseLong).toList();
    }
}
