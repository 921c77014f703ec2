package dev.somnus.runtime.protocol;

import java.io.IOException;

/**
 * The QGA protocol over one byte stream: an incremental JSON lexer and parser whose state persists
 * between calls, and the dispatch of every complete message in arrival order, one at a time
 * (qga-reference §1). Not thread-safe: one channel thread drives one session.
 */
public interface ProtocolSession {

    /**
     * Feeds bytes received from the host. Every message they complete is answered (or, for a
     * successful command without success response, not) before this returns.
     */
    void receive(byte[] bytes, int offset, int length) throws IOException;
}
