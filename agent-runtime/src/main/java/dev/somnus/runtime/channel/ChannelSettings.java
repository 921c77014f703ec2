package dev.somnus.runtime.channel;

import java.util.Optional;
import java.util.function.Function;

import org.osgi.service.log.Logger;

import dev.somnus.runtime.protocol.QgaProtocol;

/**
 * Which channel to open, read from the configuration {@value AgentChannel#PID} the launcher puts
 * into Config Admin from qemu-ga's own options and configuration keys ({@code -m/method},
 * {@code -p/path}, {@code -r/retry-path}), or handed over by systemd socket activation.
 *
 * @param activation the inherited listening socket, or null
 */
record ChannelSettings(ChannelMethod method, String path, boolean retryPath, SocketActivation activation) {

    static final String METHOD = "method";
    static final String PATH = "path";
    static final String RETRY_PATH = "retryPath";

    /**
     * @param properties property name to value, null when unset
     * @throws ChannelFailure with qemu-ga's text: a missing path is reported before an unknown
     *         method, exactly as qemu-ga checks them ({@code -m bogus} alone says "must specify a
     *         path for this channel")
     */
    static ChannelSettings from(Function<String, String> properties) throws ChannelFailure {
        return from(properties, Optional.empty());
    }

    /**
     * @param activation a socket from systemd: it overrides method and path, as in qemu-ga
     */
    static ChannelSettings from(Function<String, String> properties, Optional<SocketActivation> activation)
            throws ChannelFailure {
        boolean retryPath = parseBoolean(RETRY_PATH, properties.apply(RETRY_PATH));
        if (activation.isPresent()) {
            SocketActivation socket = activation.get();
            return new ChannelSettings(socket.method(), "fd " + socket.fd(), retryPath, socket);
        }
        String methodText = Optional.ofNullable(properties.apply(METHOD)).orElse(ChannelMethod.VIRTIO_SERIAL.text());
        Optional<ChannelMethod> method = ChannelMethod.of(methodText);
        String path = properties.apply(PATH);
        if (path == null) {
            path = method.flatMap(ChannelMethod::defaultPath)
                    .orElseThrow(() -> ChannelFailure.configuration("must specify a path for this channel"));
        }
        ChannelMethod known = method.orElseThrow(() -> ChannelFailure.unsupportedMethod(methodText));
        return new ChannelSettings(known, path, retryPath, null);
    }

    /** Opens the channel; the caller owns the result and must {@link Transport#close()} it. */
    Transport open(QgaProtocol protocol, Logger logger) throws ChannelFailure {
        if (activation != null) {
            return SocketListener.adopt(activation, protocol, logger);
        }
        switch (method) {
            case VIRTIO_SERIAL:
                return SerialPort.openVirtio(path, protocol, logger);
            case ISA_SERIAL:
                return SerialPort.openIsa(path, protocol, logger);
            case UNIX_LISTEN:
                return UnixListener.open(path, protocol, logger);
            case VSOCK_LISTEN:
                return SocketListener.openVsock(path, protocol, logger);
            default:
                throw new AssertionError(method);
        }
    }

    // GLib key-file booleans, as qemu-ga's configuration accepts them (§3.1) and the launcher's
    // KeyFile reads them: exactly true/1 or false/0, trailing blanks allowed.
    private static boolean parseBoolean(String name, String value) throws ChannelFailure {
        if (value == null) {
            return false;
        }
        switch (value.stripTrailing()) {
            case "true":
            case "1":
                return true;
            case "false":
            case "0":
                return false;
            default:
                throw ChannelFailure.configuration(name + " must be true or false, not '" + value + "'");
        }
    }
}
