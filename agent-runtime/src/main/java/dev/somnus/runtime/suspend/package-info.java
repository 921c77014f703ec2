/**
 * The suspend commands: {@code guest-suspend-disk}, {@code -ram} and {@code -hybrid} (one component
 * each, bound to the SuspendProvider services of its mode), the extension query
 * {@code __dev.somnus_get-suspend-support} and the shell command {@code somnus:suspend}. How a request
 * chooses and runs a provider is in {@link dev.somnus.runtime.suspend.SuspendDispatch}; the
 * hibernation checks qemu-ga lacks are in {@link dev.somnus.runtime.suspend.HibernationPreflight}.
 * Configuration: PID {@value dev.somnus.runtime.suspend.SuspendSettings#PID}.
 */
package dev.somnus.runtime.suspend;
