package dev.somnus.suspend.pmutils;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.provider.common.HelperRunner;
import dev.somnus.provider.common.ProviderMethod;
import java.util.List;
import java.util.Map;

/**
 * One mode through pm-utils, as qemu-ga's second stage (qga-reference §4.3 step 2): probe
 * {@code pm-is-supported --hibernate|--suspend|--suspend-hybrid} (exit 0 = yes, 1 = no, not
 * installed = helper-missing, anything else = probe-failed), act by running
 * {@code pm-hibernate|pm-suspend|pm-suspend-hybrid} without arguments; exit 0 = done, which for
 * pm-utils means the guest slept and has resumed.
 */
final class PmUtilsMethod implements ProviderMethod {

    private final List<String> probe;
    private final List<String> act;
    private final HelperRunner probes;
    private final HelperRunner actions;
    private final String modeWords;

    PmUtilsMethod(SuspendMode mode, String pmIsSupported, String program, HelperRunner probes, HelperRunner actions) {
        this.probe = List.of(pmIsSupported, flag(mode));
        this.act = List.of(program);
        this.probes = probes;
        this.actions = actions;
        this.modeWords = words(mode);
    }

    static String flag(SuspendMode mode) {
        switch (mode) {
            case DISK:
                return "--hibernate";
            case RAM:
                return "--suspend";
            case HYBRID:
            default:
                return "--suspend-hybrid";
        }
    }

    private static String words(SuspendMode mode) {
        switch (mode) {
            case DISK:
                return "hibernation";
            case RAM:
                return "suspend to RAM";
            case HYBRID:
            default:
                return "hybrid sleep";
        }
    }

    @Override
    public Availability probe() throws InterruptedException {
        return HelperRunner.verdict(probe, probes.run(probe), status -> status == 0, status -> status == 1,
                "pm-utils does not support " + modeWords + " here");
    }

    @Override
    public String action(Map<String, Object> request) {
        return "exec " + act.get(0);
    }

    @Override
    public Outcome perform(Map<String, Object> request) throws InterruptedException {
        return HelperRunner.actionOutcome(act, actions.run(act), "the guest has resumed");
    }
}
