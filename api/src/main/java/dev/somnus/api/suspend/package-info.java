/**
 * The suspend family's words: its three {@link dev.somnus.api.suspend.SuspendMode modes}, each the
 * value of {@code somnus.provider.mode} for the {@link dev.somnus.api.provider.Provider} services of
 * family {@value dev.somnus.api.suspend.SuspendMode#FAMILY}. (2.0.0: the provider interface, its
 * availability, outcome and reasons moved to {@code dev.somnus.api.provider}.)
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package dev.somnus.api.suspend;
