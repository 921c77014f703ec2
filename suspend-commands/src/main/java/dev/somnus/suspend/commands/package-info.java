/**
 * The suspend family's commands: {@code guest-suspend-disk}, {@code -ram} and {@code -hybrid} (one
 * component, {@link dev.somnus.suspend.commands.SuspendCommand}, instantiated once per mode by
 * {@link dev.somnus.suspend.commands.SuspendCommands}, each bound by its target filter to the
 * suspend providers of its mode), the extension query {@code __dev.somnus_get-suspend-support} and
 * the shell command {@code somnus:suspend}. How a request chooses and runs a provider is
 * provider-common's {@code ProviderDispatch}, with qemu-ga's not-supported text and, for disk and
 * hybrid, the hibernation checks qemu-ga lacks
 * ({@link dev.somnus.suspend.commands.HibernationPreflight}) when every attempt failed.
 * Configuration: PID {@value dev.somnus.suspend.commands.SuspendSettings#PID}.
 */
package dev.somnus.suspend.commands;
