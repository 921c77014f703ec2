/**
 * The shutdown family's words: the three {@link dev.somnus.api.shutdown.ShutdownMode modes} of
 * {@code guest-shutdown}, each the value of {@code somnus.provider.mode} for the
 * {@link dev.somnus.api.provider.Provider} services of family
 * {@value dev.somnus.api.shutdown.ShutdownMode#FAMILY}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.somnus.api.shutdown;
