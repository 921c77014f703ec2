/**
 * The provider SPI, shared by every command family whose action can be done several ways (suspend,
 * shutdown, clock, passwords). A provider bundle registers one
 * {@link dev.somnus.api.provider.Provider} service per family and mode it knows how to perform; the
 * service's properties name the family, the mode and the provider, say whether it is available now
 * and rank it, and change (through the registry) when its availability changes. A family's commands
 * send each request to the top-ranked available provider of its mode and fall through to the next
 * when one fails. The words of {@link dev.somnus.api.provider.Availability} and
 * {@link dev.somnus.api.provider.Outcome} are in {@link dev.somnus.api.provider.Reasons}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.somnus.api.provider;
