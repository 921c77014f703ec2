/**
 * The suspend SPI. A provider bundle registers one {@link dev.somnus.api.suspend.SuspendProvider}
 * service per {@link dev.somnus.api.suspend.SuspendMode} it knows how to perform; the service's
 * properties say whether it is available now and rank it, and change (through the registry) when
 * its availability changes. The runtime sends each {@code guest-suspend-*} command to the
 * top-ranked available service for that mode.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.somnus.api.suspend;
