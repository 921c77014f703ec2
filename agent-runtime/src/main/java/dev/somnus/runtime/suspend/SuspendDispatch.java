package dev.somnus.runtime.suspend;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.api.suspend.SuspendOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.osgi.service.log.Logger;

/**
 * What a {@code guest-suspend-*} request does (qga-reference §4.3, with the deliberate fixes named
 * below): refresh stale answers, then try the available providers of the mode from the highest
 * ranking down; the first that is done ends the request with no reply (§1.6).
 *
 * <ul>
 * <li>No provider available: {@code the requested suspend mode is not supported by the guest},
 * qemu-ga's exact text.</li>
 * <li>Providers were available but every attempt failed: an error naming each provider tried and
 * why. qemu-ga throws the systemd and pm-utils errors away and may then answer success without
 * suspending (disk/ram, when sysfs does not offer the mode) or {@code unknown guest suspend mode}
 * (hybrid); we never stay silent about a failure.</li>
 * <li>Dry run: everything but the action; the answer is an error naming the provider and the exact
 * action that would have run — never success, because nothing happened.</li>
 * </ul>
 */
final class SuspendDispatch {

    static final String NOT_SUPPORTED = "the requested suspend mode is not supported by the guest";

    private SuspendDispatch() {
    }

    /**
     * What a request would do now, for the agent-wide dry run: {@code run provider <name>:
     * <action>}, or the same not-supported error a request would get.
     */
    static String explain(SuspendMode mode, ProviderSet providers, SuspendSettings settings, Logger logger)
            throws CommandException {
        ProviderSet.Ranked first = available(mode, providers, settings, logger).get(0);
        return "run provider " + first.name() + ": " + first.provider().action();
    }

    private static List<ProviderSet.Ranked> available(SuspendMode mode, ProviderSet providers,
            SuspendSettings settings, Logger logger) throws CommandException {
        // Plain loops on this path: it runs once per request, between the request and the action
        // (BENCHMARKS.md §4 measures it); a stream there cost a few µs more than this loop.
        List<ProviderSet.Ranked> ranked = providers.ranked(Optional.of(mode),
                Duration.ofSeconds(Math.max(0, settings.staleAfterSeconds())));
        List<ProviderSet.Ranked> available = new ArrayList<>(ranked.size());
        for (ProviderSet.Ranked candidate : ranked) {
            if (candidate.available()) {
                available.add(candidate);
            }
        }
        if (available.isEmpty()) {
            logger.info("{}: no suspend provider is available: {}", mode.command(), ranked.isEmpty() ? "none registered"
                    : ranked.stream().map(r -> r.name() + " " + r.availability().reason() + " ("
                            + r.availability().sentence() + ")").collect(Collectors.joining("; ")));
            throw new CommandException(NOT_SUPPORTED);
        }
        return available;
    }

    static void suspend(SuspendMode mode, ProviderSet providers, SuspendSettings settings, Logger logger)
            throws CommandException {
        List<ProviderSet.Ranked> available = available(mode, providers, settings, logger);
        if (settings.dryRun()) {
            // dryRun set in this family's own PID; the agent-wide dry run never gets here (the
            // runtime calls explain instead of execute)
            ProviderSet.Ranked first = available.get(0);
            String text = "dry run: " + mode.command() + " would run provider " + first.name() + ": "
                    + first.provider().action() + "; nothing was done (dryRun is set in " + SuspendSettings.PID + ")";
            logger.info("{}", text);
            throw new CommandException(text);
        }
        List<String> failures = new ArrayList<>();
        for (ProviderSet.Ranked candidate : available) {
            if (logger.isInfoEnabled()) {
                logger.info("{}: suspending through {}: {}", mode.command(), candidate.name(), candidate.provider().action());
            }
            SuspendOutcome outcome;
            try {
                outcome = candidate.provider().suspend();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(candidate.name() + ": interrupted while running " + candidate.provider().action());
                break;
            } catch (RuntimeException e) {
                outcome = SuspendOutcome.failed("action-failed", candidate.provider().action() + " failed: " + e);
            }
            if (outcome.done()) {
                logger.info("{}: done through {}: {}", mode.command(), candidate.name(), outcome.sentence());
                return;
            }
            logger.warn("{}: {} failed ({}): {}", mode.command(), candidate.name(), outcome.reason(), outcome.sentence());
            failures.add(candidate.name() + ": " + outcome.sentence());
        }
        StringBuilder text = new StringBuilder(mode.command()).append(" failed with every available provider: ")
                .append(String.join("; ", failures));
        if (mode != SuspendMode.RAM) {
            List<HibernationPreflight.Check> warnings = HibernationPreflight.of(settings).warnings();
            if (!warnings.isEmpty()) {
                text.append(" (hibernation preflight: ").append(warnings.stream().map(Object::toString)
                        .collect(Collectors.joining("; "))).append(')');
            }
        }
        throw new CommandException(text.toString());
    }
}
