package dev.somnus.clock.commands;

import dev.somnus.clock.SystemClock;
import dev.somnus.clock.SystemClockException;
import java.util.Hashtable;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The real {@link SystemClock}: settimeofday(2) through jnr-ffi with qemu-ga's timeval. It exists
 * only while its configuration (PID {@value #PID}) is present — the distribution ships
 * conf/dev.somnus.clock.system.cfg — and says {@code enabled=true}: an agent without that file (an
 * embedded test framework, a test's agent whose conf/ says {@code enabled=false}) has no way to
 * change the clock of the machine it runs on, so guest-set-time answers not supported there.
 */
@Component(configurationPid = LibcSystemClock.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = LibcSystemClock.Config.class)
public final class LibcSystemClock implements SystemClock {

    static final String PID = "dev.somnus.clock.system";

    @ObjectClassDefinition(id = PID, name = "Somnus system clock",
            description = "Lets the agent set the guest's system clock (settimeofday). Without this configuration, "
                    + "or with enabled=false, guest-set-time answers 'not currently supported'.")
    public @interface Config {
        @AttributeDefinition(description = "Let guest-set-time set the system clock, directly or through a provider.")
        boolean enabled() default true;
    }

    private final BundleContext context;
    private ServiceRegistration<SystemClock> registration;

    @Activate
    public LibcSystemClock(BundleContext context, Config config) {
        this.context = context;
        apply(config);
    }

    /** Registered or withdrawn as {@code enabled} says, without deactivating the component. */
    @Modified
    synchronized void apply(Config config) {
        if (config.enabled() && registration == null) {
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("somnus.clock.system", "settimeofday");
            registration = context.registerService(SystemClock.class, this, properties);
        } else if (!config.enabled() && registration != null) {
            withdraw();
        }
    }

    @Deactivate
    synchronized void withdraw() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters a stopping bundle's services itself
            }
            registration = null;
        }
    }

    @Override
    public void set(long epochNanos) throws SystemClockException {
        Binding binding = Binding.INSTANCE;
        if (binding.libc == null) {
            throw new SystemClockException(0, "libc could not be bound: " + binding.failure);
        }
        long[] timeval = timeval(epochNanos);
        Pointer tv = Memory.allocateDirect(binding.runtime, 2 * Long.BYTES);
        tv.putLong(0, timeval[0]);
        tv.putLong(Long.BYTES, timeval[1]);
        if (binding.libc.settimeofday(tv, null) != 0) {
            int errno = binding.runtime.getLastError();
            throw new SystemClockException(errno, binding.libc.strerror(errno));
        }
    }

    /**
     * qemu-ga's struct timeval for the time: {tv_sec, tv_usec}, both divisions truncating toward
     * zero (a struct of two longs on x86_64 and aarch64).
     */
    static long[] timeval(long epochNanos) {
        return new long[] {epochNanos / RequestedTime.NANOS_PER_SECOND,
                (epochNanos % RequestedTime.NANOS_PER_SECOND) / 1000};
    }

    @Override
    public String toString() {
        return "settimeofday";
    }

    /** libc, bound on first use, once per class loader. */
    private static final class Binding {
        static final Binding INSTANCE = load();

        final ClockLibC libc;
        final Runtime runtime;
        final Throwable failure;

        private Binding(ClockLibC libc, Throwable failure) {
            this.libc = libc;
            this.runtime = libc == null ? null : Runtime.getRuntime(libc);
            this.failure = failure;
        }

        private static Binding load() {
            try {
                return new Binding(LibraryLoader.create(ClockLibC.class)
                        .option(LibraryOption.SaveError, Boolean.TRUE)
                        .failImmediately()
                        .load("c"), null);
            } catch (LinkageError | RuntimeException e) {
                return new Binding(null, e);
            }
        }
    }
}
