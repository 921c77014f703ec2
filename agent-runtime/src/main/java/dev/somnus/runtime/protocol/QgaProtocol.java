package dev.somnus.runtime.protocol;

/**
 * The protocol as a service: channels open one session per byte stream (per connection on
 * listening sockets, one for the life of a serial port).
 */
public interface QgaProtocol {

    /**
     * @param sink where the replies go
     * @param peer who is on the other end, for logs and audit lines (e.g. {@code unix uid=0 gid=0},
     *        {@code virtio-serial /dev/virtio-ports/org.qemu.guest_agent.0})
     */
    ProtocolSession openSession(ReplySink sink, String peer);
}
