/**
 * The system clock as a service: {@link dev.somnus.clock.SystemClock}. Whoever in the agent sets
 * the guest's system clock (guest-set-time with a time; the RTC provider copying the hardware
 * clock into it) goes through this service, so that a test binds a fake one and never touches the
 * clock of the machine it runs on, and so that an agent without the service registered cannot set
 * the clock at all.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.somnus.clock;
