package dev.somnus.provider.common;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.osgi.service.log.Logger;

/**
 * What a request of a command with providers does (qga-reference §4.3 for suspend, with the
 * deliberate fix named below), written once for every family: refresh stale answers, then try the
 * available providers of the command's mode from the highest ranking down; the first that is done
 * ends the request.
 *
 * <ul>
 * <li>No provider available: the family's not-supported text (for suspend qemu-ga's exact
 * {@code the requested suspend mode is not supported by the guest}).</li>
 * <li>Providers were available but every attempt failed: an error naming each provider tried and
 * why, followed by the family's diagnostics, if it has any (the suspend family's hibernation
 * preflight). qemu-ga throws the systemd and pm-utils errors away and may then answer success
 * without suspending (disk/ram, when sysfs does not offer the mode) or {@code unknown guest
 * suspend mode} (hybrid); we never stay silent about a failure.</li>
 * </ul>
 *
 * Dry run is not here: the runtime applies it to every acting command and asks
 * {@link #explain(Map)} what would have been done.
 */
public final class ProviderDispatch {

    private final String command;
    private final String family;
    private final String mode;
    private final RankedProviders providers;
    private final String notSupported;
    private final Supplier<String> diagnostics;
    private final Logger logger;

    /**
     * @param command the command's wire name, e.g. {@code guest-suspend-disk}, which starts its texts
     * @param family the family, for the logs
     * @param mode the providers' {@code somnus.provider.mode} this command dispatches to
     * @param providers the providers the command is bound to
     * @param notSupported the error when no provider is available
     * @param diagnostics asked only when every attempt failed: a text added to the error in
     *        parentheses, or an empty string for none
     * @param logger where each attempt is logged
     */
    public ProviderDispatch(String command, String family, String mode, RankedProviders providers,
            String notSupported, Supplier<String> diagnostics, Logger logger) {
        this.command = Objects.requireNonNull(command, "command");
        this.family = Objects.requireNonNull(family, "family");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.notSupported = Objects.requireNonNull(notSupported, "notSupported");
        this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
        this.logger = Objects.requireNonNull(logger, "logger");
    }

    /**
     * Performs the request with the first provider that is done, after refreshing answers older than
     * {@code staleAfter}.
     *
     * @return the outcome of the provider that was done
     * @throws CommandException the not-supported text, or every failure
     */
    public Outcome perform(Map<String, Object> request, Duration staleAfter) throws CommandException {
        // Plain loops on this path: it runs once per request, between the request and the action
        // (BENCHMARKS.md §4 measures it); a stream there cost a few µs more than this loop.
        List<RankedProviders.Ranked> available = available(staleAfter);
        List<String> failures = new ArrayList<>();
        for (RankedProviders.Ranked candidate : available) {
            String action = candidate.provider().action(request);
            if (logger.isInfoEnabled()) {
                logger.info("{}: trying {} provider {}: {}", command, family, candidate.name(), action);
            }
            Outcome outcome;
            try {
                outcome = candidate.provider().perform(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(candidate.name() + ": interrupted while running " + action);
                break;
            } catch (RuntimeException e) {
                outcome = Outcome.failed(Reasons.ACTION_FAILED, action + " failed: " + e);
            }
            if (outcome.done()) {
                logger.info("{}: done through {}: {}", command, candidate.name(), outcome.sentence());
                return outcome;
            }
            logger.warn("{}: {} failed ({}): {}", command, candidate.name(), outcome.reason(), outcome.sentence());
            failures.add(candidate.name() + ": " + outcome.sentence());
        }
        StringBuilder text = new StringBuilder(command).append(" failed with every available provider: ")
                .append(String.join("; ", failures));
        String extra = diagnostics.get();
        if (!extra.isEmpty()) {
            text.append(" (").append(extra).append(')');
        }
        throw new CommandException(text.toString());
    }

    /**
     * What {@link #perform} would do, without acting: {@code run provider <name>: <action>} for the
     * first available provider (after the same refresh), or the not-supported error.
     */
    public String explain(Map<String, Object> request, Duration staleAfter) throws CommandException {
        RankedProviders.Ranked first = available(staleAfter).get(0);
        return "run provider " + first.name() + ": " + first.provider().action(request);
    }

    /** The available providers in dispatch order; never empty (it throws the not-supported error then). */
    private List<RankedProviders.Ranked> available(Duration staleAfter) throws CommandException {
        List<RankedProviders.Ranked> ranked = providers.ranked(Optional.of(mode), staleAfter);
        List<RankedProviders.Ranked> available = new ArrayList<>(ranked.size());
        for (RankedProviders.Ranked candidate : ranked) {
            if (candidate.available()) {
                available.add(candidate);
            }
        }
        if (available.isEmpty()) {
            logger.info("{}: no {} provider is available: {}", command, family, ranked.isEmpty() ? "none registered"
                    : ranked.stream().map(r -> r.name() + " " + r.availability().reason() + " ("
                            + r.availability().sentence() + ")").collect(Collectors.joining("; ")));
            throw new CommandException(notSupported);
        }
        return available;
    }
}
