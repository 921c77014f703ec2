package dev.somnus.launcher;

import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
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
        if (!isWorthShowing(entry)) {
            return;
        }
        String message = entry.getMessage();
        Throwable exception = entry.getException();
        if (exception != null) {
            message = message + ": " + exception;
        }
        log.log(level(entry), message);
    }

    /**
     * Even with -v, the framework's own chatter would bury the agent's lines: felix.log's
     * bundle/service/framework event entries below WARN, debug entries of bundles that are not
     * Somnus' own, and SCR's traces of every component step are left out.
     */
    static boolean isWorthShowing(LogEntry entry) {
        boolean belowWarn = entry.getLogLevel().ordinal() > LogLevel.WARN.ordinal();
        String logger = entry.getLoggerName();
        if (belowWarn && logger != null && logger.startsWith("Events.")) {
            return false;
        }
        boolean debug = entry.getLogLevel().ordinal() > LogLevel.INFO.ordinal();
        String bundle = entry.getBundle() == null ? null : entry.getBundle().getSymbolicName();
        if (!debug) {
            return true;
        }
        // SCR traces every component step on behalf of the bundle it extends, under the
        // component's logger name, as "bundle <symbolic name>:<version> (<id>)...".
        String message = entry.getMessage();
        boolean scrTrace = bundle != null && message != null && message.startsWith("bundle " + bundle + ":");
        return bundle != null && bundle.startsWith("dev.somnus.") && !scrTrace;
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
