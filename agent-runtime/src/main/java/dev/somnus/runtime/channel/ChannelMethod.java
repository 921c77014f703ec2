package dev.somnus.runtime.channel;

import java.util.Optional;

/** The transports qemu-ga offers with {@code -m} (qga-reference §2). */
enum ChannelMethod {

    VIRTIO_SERIAL("virtio-serial", "/dev/virtio-ports/org.qemu.guest_agent.0"),
    ISA_SERIAL("isa-serial", "/dev/ttyS0"),
    UNIX_LISTEN("unix-listen", null),
    VSOCK_LISTEN("vsock-listen", null);

    private final String text;
    private final String defaultPath;

    ChannelMethod(String text, String defaultPath) {
        this.text = text;
        this.defaultPath = defaultPath;
    }

    /** The name as given to {@code -m}. */
    String text() {
        return text;
    }

    /** The path used without {@code -p}; empty for methods that require one. */
    Optional<String> defaultPath() {
        return Optional.ofNullable(defaultPath);
    }

    static Optional<ChannelMethod> of(String text) {
        for (ChannelMethod method : values()) {
            if (method.text.equals(text)) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }
}
