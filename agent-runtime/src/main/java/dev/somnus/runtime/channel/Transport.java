package dev.somnus.runtime.channel;

import java.io.IOException;

/** An opened channel: a serial port or a listening socket. */
interface Transport {

    /**
     * Serves the host on the calling thread until {@link #wake()} is called (returns) or the channel
     * itself fails (throws; a single socket client going away is not a failure of the channel).
     */
    void serve() throws IOException;

    /** Called from any thread: makes {@link #serve()} return soon. */
    void wake();

    /** Releases the channel's descriptors; called by the serving thread once serve() has ended. */
    void close();
}
