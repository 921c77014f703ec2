package dev.somnus.launcher;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Felix's own diagnostics (resolver failures, bundle exceptions) into the agent's log, instead of
 * the framework's default of printing them to stdout.
 */
final class FrameworkLog extends org.apache.felix.framework.Logger {

    private final AgentLog log;

    FrameworkLog(AgentLog log) {
        this.log = log;
    }

    @Override
    protected void doLog(Bundle bundle, @SuppressWarnings("rawtypes") ServiceReference sr, int level, String msg,
            Throwable throwable) {
        String prefix = bundle != null && bundle.getSymbolicName() != null ? bundle.getSymbolicName() + ": " : "";
        doLog(level, prefix + msg, throwable);
    }

    @Override
    protected void doLog(int level, String msg, Throwable throwable) {
        String message = throwable == null ? msg : msg + ": " + throwable;
        log.log(level(level), message);
    }

    static AgentLog.Level level(int felixLevel) {
        switch (felixLevel) {
            case LOG_ERROR: return AgentLog.Level.ERROR;
            case LOG_WARNING: return AgentLog.Level.WARNING;
            case LOG_INFO: return AgentLog.Level.INFO;
            default: return AgentLog.Level.DEBUG;
        }
    }
}
