package dev.somnus.runtime.channel;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.service.log.Logger;

import dev.somnus.runtime.protocol.QgaProtocol;

/**
 * The channel thread: opens the channel and serves it, strictly sequentially, one request after the
 * other (qga-reference §1.1). What happens when the channel cannot be opened or fails follows
 * qemu-ga's run_agent(): with retry-path, log and try again every {@code retryInterval} (qemu-ga's
 * QGA_RETRY_INTERVAL, 5 s) forever; without, log and exit with status 1.
 *
 * <p>One deliberate difference: qemu-ga exits with status 0 when a read error stops its main loop;
 * we exit with 1 like every other channel failure, so a supervisor sees that something broke.
 * Configuration errors (missing path, unknown method, bad retry-path value) never retry: no retry
 * can change the framework properties they come from.
 */
final class ChannelLoop {

    interface SettingsSource {
        ChannelSettings get() throws ChannelFailure;
    }

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final SettingsSource settings;
    private final QgaProtocol protocol;
    private final Logger logger;
    private final Duration retryInterval;
    private final Runnable exit;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Thread thread;
    private Transport transport;
    private boolean stopping;

    /**
     * @param exit called on the channel thread when the agent must terminate with status 1
     */
    ChannelLoop(SettingsSource settings, QgaProtocol protocol, Logger logger, Duration retryInterval, Runnable exit) {
        this.settings = settings;
        this.protocol = protocol;
        this.logger = logger;
        this.retryInterval = retryInterval;
        this.exit = exit;
        this.thread = new Thread(this::run, "somnus-channel");
        // The thread never keeps the JVM alive on its own: the framework decides when the agent ends.
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Closes the channel and waits for the thread to end. A command still running (e.g. a suspend
     * that has not returned) can delay that; after 5 s we stop waiting and say so.
     */
    void stop() {
        synchronized (this) {
            stopping = true;
            if (transport != null) {
                transport.wake();
            }
        }
        stopRequested.countDown();
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            logger.warn("channel thread still busy " + STOP_TIMEOUT.toSeconds()
                    + " s after stop; a command is still running");
        }
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    private void run() {
        ChannelSettings channel;
        try {
            channel = settings.get();
        } catch (ChannelFailure failure) {
            failure.lines().forEach(logger::error);
            exit.run();
            return;
        }
        while (!isStopping()) {
            Transport opened;
            try {
                opened = channel.open(protocol, logger);
            } catch (ChannelFailure failure) {
                failure.lines().forEach(logger::error);
                if (!retry(channel)) {
                    return;
                }
                continue;
            }
            if (!publish(opened)) {
                opened.close();
                return;
            }
            logger.info("serving " + channel.method().text() + " on " + channel.path());
            try {
                opened.serve();
                if (isStopping()) {
                    return;
                }
                logger.error("channel " + channel.path() + " ended");
            } catch (IOException | RuntimeException e) {
                if (isStopping()) {
                    return;
                }
                logger.error("error on channel " + channel.path() + ": " + Conversation.describe(e));
            } finally {
                unpublish();
                opened.close();
            }
            if (!retry(channel)) {
                return;
            }
        }
    }

    /** @return true to go round again, false if the loop must end */
    private boolean retry(ChannelSettings channel) {
        if (isStopping()) {
            return false;
        }
        if (!channel.retryPath()) {
            exit.run();
            return false;
        }
        logger.warn("agent stopped unexpectedly, restarting...");
        try {
            return !stopRequested.await(retryInterval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private synchronized boolean publish(Transport opened) {
        if (stopping) {
            return false;
        }
        transport = opened;
        return true;
    }

    private synchronized void unpublish() {
        transport = null;
    }

    private synchronized boolean isStopping() {
        return stopping;
    }
}
