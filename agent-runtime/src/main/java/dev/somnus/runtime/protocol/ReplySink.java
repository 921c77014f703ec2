package dev.somnus.runtime.protocol;

import java.io.IOException;

/**
 * Where a session's reply bytes go. The session writes each reply with {@link #write} and calls
 * {@link #flush} when it has handled everything it was given and before it runs a command that may
 * block (a suspend), so a channel can send all ready replies with one system call.
 */
public interface ReplySink {

    void write(byte[] bytes, int offset, int length) throws IOException;

    void flush() throws IOException;
}
