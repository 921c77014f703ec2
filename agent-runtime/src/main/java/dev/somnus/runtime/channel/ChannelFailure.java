package dev.somnus.runtime.channel;

import java.util.List;

/**
 * The channel could not be set up. Carries the lines qemu-ga 7.2 logs for the same failure
 * (qga-reference §2, "Start-up error texts for channels"), in order.
 */
final class ChannelFailure extends Exception {

    private static final long serialVersionUID = 1L;

    static final String CREATE_FAILED = "failed to create guest agent channel";
    static final String INIT_FAILED = "failed to initialize guest agent channel";

    private final List<String> lines;

    private ChannelFailure(List<String> lines) {
        super(lines.get(0));
        this.lines = lines;
    }

    /** Opening, binding or parsing failed: qemu-ga's ga_channel_new() error path. */
    static ChannelFailure creating(String reason) {
        return new ChannelFailure(List.of(reason, CREATE_FAILED, INIT_FAILED));
    }

    /** qemu-ga's channel_init() rejects the method before creating anything. */
    static ChannelFailure unsupportedMethod(String method) {
        return new ChannelFailure(List.of("unsupported channel method/type: " + method, INIT_FAILED));
    }

    /** A configuration error found before the channel is initialised: one line, nothing more. */
    static ChannelFailure configuration(String text) {
        return new ChannelFailure(List.of(text));
    }

    /** The lines to log at error level, in order. */
    List<String> lines() {
        return lines;
    }
}
