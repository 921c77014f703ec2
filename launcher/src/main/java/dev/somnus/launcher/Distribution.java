package dev.somnus.launcher;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The folders of an unpacked distribution: lib/ (this launcher), bundle/ (started at launch),
 * deploy/ (hot-deployed bundles) and conf/ (configuration files). The bin scripts pass the
 * distribution's home as {@code -Dsomnus.home}; otherwise it is the parent of the launcher jar's
 * folder.
 */
record Distribution(Path home) {

    static Distribution locate() throws LaunchException {
        String home = System.getProperty("somnus.home");
        if (home != null) {
            return new Distribution(Path.of(home).toAbsolutePath());
        }
        try {
            Path jar = Path.of(Distribution.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new Distribution(jar.toAbsolutePath().getParent().getParent());
        } catch (URISyntaxException | RuntimeException e) {
            throw new LaunchException("unable to find the distribution folder: set -Dsomnus.home", e);
        }
    }

    Path bundles() {
        return home.resolve("bundle");
    }

    Path deploy() {
        return home.resolve("deploy");
    }

    Path conf() {
        return home.resolve("conf");
    }
}
