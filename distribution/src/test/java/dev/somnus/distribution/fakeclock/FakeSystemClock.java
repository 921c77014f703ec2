package dev.somnus.distribution.fakeclock;

import dev.somnus.clock.SystemClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * The activator of a test bundle ({@link FakeSystemClockBundle}) that stands in for the guest's
 * system clock, an emulator bundle in Kura's sense: a SystemClock service that appends each time
 * it is asked to set, in nanoseconds, one per line, to the file named by the bundle's
 * {@value #FILE_HEADER} header, and sets nothing. The file is created (empty) once the service is
 * registered, so a test can wait for it.
 */
public final class FakeSystemClock implements BundleActivator, SystemClock {

    public static final String FILE_HEADER = "Somnus-Fake-Clock-File";

    private volatile Path file;

    @Override
    public void start(BundleContext context) throws IOException {
        file = Path.of(context.getBundle().getHeaders().get(FILE_HEADER));
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("somnus.clock.system", "fake");
        properties.put(Constants.SERVICE_RANKING, 1000);
        context.registerService(SystemClock.class, this, properties);
        Files.writeString(file, "", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }

    @Override
    public void set(long epochNanos) {
        try {
            Files.writeString(file, epochNanos + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
