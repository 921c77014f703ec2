/**
 * The child-process SPI. One service, {@link dev.somnus.api.process.ChildProcesses}, provided by the
 * reaper bundle, starts every program the agent runs and is the only code that waits for children.
 * Bundles never use {@code ProcessBuilder} or fork themselves.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package dev.somnus.api.process;
