/**
 * The command SPI: every command the agent answers is a {@link dev.somnus.api.command.Command}
 * service. The runtime's dispatcher follows the live service registry, so a bundle that registers
 * a command makes it callable (and listed by {@code guest-info}) at once, and one that goes away
 * takes its commands with it.
 *
 * <p>JSON values cross this boundary as plain Java objects: object = {@code Map<String, Object>},
 * array = {@code List<Object>}, string = {@code String}, integer = {@code Long} (or
 * {@code BigInteger} above the int64 range), other numbers = {@code Double}, {@code Boolean}, and
 * JSON {@code null} = Java {@code null}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.somnus.api.command;
