package dev.somnus.suspend.commands;

import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.provider.common.RankedProviders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the guest can do, per mode: the answer of {@code __dev.somnus_get-suspend-support} and of the
 * {@code somnus:suspend} shell command, built from the same registry view the suspend commands use.
 */
final class SupportReport {

    private final List<ModeSupport> modes;
    private final List<HibernationPreflight.Check> preflight;
    private final boolean commandsDryRun;

    /** One mode: its providers in dispatch order; the first available one would run. */
    record ModeSupport(SuspendMode mode, List<RankedProviders.Ranked> providers) {

        Optional<RankedProviders.Ranked> chosen() {
            return providers.stream().filter(RankedProviders.Ranked::available).findFirst();
        }
    }

    private SupportReport(List<ModeSupport> modes, List<HibernationPreflight.Check> preflight, boolean commandsDryRun) {
        this.modes = modes;
        this.preflight = preflight;
        this.commandsDryRun = commandsDryRun;
    }

    /**
     * @param probe whether stale answers are probed first (as a suspend would) or shown as they stand
     */
    static SupportReport of(RankedProviders providers, SuspendSettings settings, boolean dryRun, boolean probe) {
        List<ModeSupport> modes = new ArrayList<>();
        for (SuspendMode mode : SuspendMode.values()) {
            modes.add(new ModeSupport(mode, probe
                    ? providers.ranked(Optional.of(mode.id()), Duration.ofSeconds(Math.max(0, settings.staleAfterSeconds())))
                    : providers.current(Optional.of(mode.id()))));
        }
        return new SupportReport(modes, HibernationPreflight.of(settings).run(), dryRun);
    }

    /**
     * The query's {@code return} value: {@code {"modes": [{"mode", "command", "supported",
     * "provider"?, "action"?, "providers": [...], "preflight"?: [...]}, ...], "commands-dry-run"}}.
     *
     * @param withActions also name the exact action of the chosen provider and of every provider
     */
    Map<String, Object> toJson(boolean withActions) {
        List<Object> modeList = new ArrayList<>();
        for (ModeSupport support : modes) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("mode", support.mode().id());
            entry.put("command", support.mode().command());
            Optional<RankedProviders.Ranked> chosen = support.chosen();
            entry.put("supported", chosen.isPresent());
            chosen.ifPresent(c -> {
                entry.put("provider", c.name());
                if (withActions) {
                    entry.put("action", c.provider().action(Map.of()));
                }
            });
            List<Object> providerList = new ArrayList<>();
            for (RankedProviders.Ranked ranked : support.providers()) {
                Map<String, Object> provider = new LinkedHashMap<>();
                provider.put("provider", ranked.name());
                provider.put("available", ranked.available());
                provider.put("reason", ranked.availability().reason());
                provider.put("sentence", ranked.availability().sentence());
                provider.put("rank", (long) ranked.ranking());
                provider.put("probed-at", ranked.availability().probedAt().toString());
                if (withActions) {
                    provider.put("action", ranked.provider().action(Map.of()));
                }
                providerList.add(provider);
            }
            entry.put("providers", providerList);
            if (support.mode() != SuspendMode.RAM) {
                entry.put("preflight", preflight.stream().map(HibernationPreflight.Check::toJson)
                        .collect(Collectors.toList()));
            }
            modeList.add(entry);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("modes", modeList);
        json.put("commands-dry-run", commandsDryRun);
        return json;
    }

    /** A table for people. */
    String toText() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-7s %-9s %7s %-9s %-21s %s%n", "MODE", "PROVIDER", "RANK", "AVAILABLE", "REASON",
                "ACTION"));
        for (ModeSupport support : modes) {
            if (support.providers().isEmpty()) {
                out.append(String.format("%-7s %s%n", support.mode().id(), "(no provider registered)"));
            }
            Optional<RankedProviders.Ranked> chosen = support.chosen();
            for (RankedProviders.Ranked ranked : support.providers()) {
                boolean isChosen = chosen.isPresent() && chosen.get() == ranked;
                out.append(String.format("%-7s %-9s %7d %-9s %-21s %s%s%n", support.mode().id(), ranked.name(),
                        ranked.ranking(), ranked.available() ? "yes" : "no", ranked.availability().reason(),
                        ranked.provider().action(Map.of()), isChosen ? "   <- would run" : ""));
                out.append("        ").append(ranked.availability().sentence()).append(System.lineSeparator());
            }
        }
        out.append("hibernation preflight (disk, hybrid):").append(System.lineSeparator());
        for (HibernationPreflight.Check check : preflight) {
            out.append(String.format("  %-9s %-4s %-24s %s%n", check.check(), check.ok() ? "ok" : "WARN",
                    check.reason(), check.sentence()));
        }
        if (commandsDryRun) {
            out.append("dry run is on: guest-suspend-* only say what they would do").append(System.lineSeparator());
        }
        return out.toString();
    }
}
