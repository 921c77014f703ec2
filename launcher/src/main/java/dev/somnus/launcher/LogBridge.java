package dev.somnus.launcher;

import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;

/**
 * Carries what bundles log through the OSGi Log service (felix.log) into the agent's log. The
 * launcher exports the Log API from the system bundle, so this listener and felix.log share the
 * API classes. The root level (org.osgi.service.log.admin.loglevel) already drops what -v would
 * not show; the level mapping is the obvious one, with AUDIT as GLib's "message".
 */
final class LogBridge implements LogListener {

    private final AgentLog log;

    LogBridge(AgentLog log) {
        this.log = log;
    }

    @Override
    public void logged(LogEntry entry) {
        String message = entry.getMessage();
        Throwable exception = entry.getException();
        if (exception != null) {
            message = message + ": " + exception;
        }
        log.log(level(entry), message);
    }

    static AgentLog.Level level(LogEntry entry) {
        switch (entry.getLogLevel()) {
            case AUDIT: return AgentLog.Level.MESSAGE;
            case ERROR: return AgentLog.Level.ERROR;
            case WARN: return AgentLog.Level.WARNING;
            case INFO: return AgentLog.Level.INFO;
            default: return AgentLog.Level.DEBUG;
        }
    }
}
