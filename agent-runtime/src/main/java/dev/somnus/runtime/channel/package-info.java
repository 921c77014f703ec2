/**
 * The channel between the guest agent and the host (qga-reference §2): the DS component
 * {@link dev.somnus.runtime.channel.AgentChannel} opens what its configuration
 * {@code dev.somnus.agent.channel} ({@code method}, {@code path}, {@code retryPath}, set by the
 * launcher) names and feeds the
 * bytes, on one thread and strictly in order, to a session of the
 * {@link dev.somnus.runtime.protocol.QgaProtocol} service.
 *
 * <ul>
 * <li>{@code unix-listen}: {@link dev.somnus.runtime.channel.UnixListener}, plain java.nio.</li>
 * <li>{@code virtio-serial}, {@code isa-serial}: {@link dev.somnus.runtime.channel.SerialPort}.</li>
 * <li>{@code vsock-listen}: {@link dev.somnus.runtime.channel.SocketListener} with a
 * {@link dev.somnus.runtime.channel.VsockAddress}.</li>
 * <li>systemd socket activation ({@link dev.somnus.runtime.channel.SocketActivation}): the inherited
 * unix or vsock socket, served by {@link dev.somnus.runtime.channel.SocketListener}.</li>
 * </ul>
 * The last three go through libc ({@link dev.somnus.runtime.channel.Posix}, jnr-ffi from the shared
 * {@code dev.somnus.jnr} bundle) because Java has no termios, no AF_VSOCK and no O_CLOEXEC/O_NOCTTY opens; every blocking
 * wait there is a poll that also watches a {@link dev.somnus.runtime.channel.Wakeup}, so stopping the
 * component always ends the thread. Failures are logged with qemu-ga's own texts
 * ({@link dev.somnus.runtime.channel.ChannelFailure}); what follows them (retry every 5 s, or exit with
 * status 1) is {@link dev.somnus.runtime.channel.ChannelLoop}'s business.
 *
 * <p>Deliberate differences from qemu-ga 7.2, each explained where it is implemented: a fresh
 * protocol session per connection on listening sockets (§1.5, V27); a client leaving without its
 * replies ends only its connection; the unix socket is created 0600; EOF on isa-serial is transient
 * as on virtio-serial; B38400 replaces the line speed instead of being OR-ed into it; a read error
 * exits with status 1, not 0.
 */
package dev.somnus.runtime.channel;
