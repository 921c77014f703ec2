package dev.somnus.inventory;

import dev.somnus.api.command.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * {@code guest-get-timezone} as qemu-ga 7.2 answers it ({@code qmp_guest_get_timezone},
 * qga/commands.c): GLib's local zone ({@code g_time_zone_new_local}), its interval at the current
 * second, {@code offset} seconds east of UTC and {@code zone} its abbreviation. GLib 2.74 finds the
 * local zone, and so does this class, the guest's files read under the configured root:
 * <ul>
 * <li>TZ set: a fixed offset ({@code UTC}, {@code Z}, {@code +05:30}), else a POSIX rule
 *     ({@code CET-1CEST,M3.5.0,M10.5.0/3}), else a TZif file, {@code :} stripped, an absolute path
 *     or one below TZDIR ({@code /usr/share/zoneinfo}); TZ empty names that folder, so UTC;</li>
 * <li>TZ unset: {@code /etc/localtime}, but only once a zone name is found for it
 *     ({@code zone_identifier_unix}): a symbolic link to a regular file, or, where
 *     {@code /etc/localtime} is no link at all, a {@code /var/db/zoneinfo} or {@code /etc/timezone}
 *     file; a plain {@code /etc/localtime} beside neither, or a link to a link, gives UTC;</li>
 * <li>any file that fails gives UTC ({@code g_time_zone_new_utc}: offset 0, zone {@code UTC}).</li>
 * </ul>
 * qemu-ga's error {@code Couldn't retrieve local timezone} cannot happen: GLib always has UTC.
 */
@Component(service = Command.class, configurationPid = InventoryConfig.PID,
        property = Command.NAME_PROPERTY + "=" + TimeZoneCommand.NAME)
public final class TimeZoneCommand implements Command {

    static final String NAME = "guest-get-timezone";

    private static final ZoneInterval UTC = new ZoneInterval(0, "UTC", false);
    private static final int MAX_LINKS = 40;

    private final Function<String, String> environment;
    private final Clock clock;
    private volatile Path root;

    public TimeZoneCommand() {
        this(System::getenv, Clock.systemUTC());
    }

    TimeZoneCommand(Function<String, String> environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    @Activate
    @Modified
    void configure(InventoryConfig config) {
        root = Path.of(config.root());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object execute(Map<String, Object> arguments) {
        // now = g_get_real_time () / G_USEC_PER_SEC: whole seconds, truncated
        ZoneInterval interval = localZoneAt(root, clock.instant().getEpochSecond());
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("offset", (long) interval.offset());
        reply.put("zone", interval.abbreviation());
        return reply;
    }

    private ZoneInterval localZoneAt(Path guest, long now) {
        String tz = environment.apply("TZ");
        if (tz == null) {
            if (!localZoneIdentified(guest)) {
                return UTC;
            }
            return readZoneInfo(guest, guest.resolve("etc/localtime")).map(zone -> zone.at(now)).orElse(UTC);
        }
        Integer constant = ConstantOffset.parse(tz, false);
        if (constant != null) {
            return new ZoneInterval(constant, tz, false);
        }
        Optional<PosixZoneRule> rule = PosixZoneRule.parse(tz);
        if (rule.isPresent()) {
            return rule.get().at(now);
        }
        String identifier = tz.startsWith(":") ? tz.substring(1) : tz;
        String path = identifier.startsWith("/") ? identifier : zoneInfoFolder() + "/" + identifier;
        return readZoneInfo(guest, under(guest, path)).map(zone -> zone.at(now)).orElse(UTC);
    }

    private String zoneInfoFolder() {
        String tzdir = environment.apply("TZDIR");
        return tzdir == null ? "/usr/share/zoneinfo" : tzdir;
    }

    /** zone_identifier_unix: whether GLib finds a name for the local zone, without which it reads no file. */
    private static boolean localZoneIdentified(Path guest) {
        Path localtime = guest.resolve("etc/localtime");
        boolean notALink;
        try {
            String target = Files.readSymbolicLink(localtime).toString();
            String absolute = target.startsWith("/") ? target : "/etc/" + target;
            if (Files.exists(under(guest, absolute), LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isRegularFile(under(guest, absolute), LinkOption.NOFOLLOW_LINKS)) {
                    return true;
                }
                notALink = true; // a link to a link (toolbox containers): GLib falls back as for a file
            } else {
                return false;
            }
        } catch (NotLinkException e) {
            notALink = true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
        return notALink && (Files.isReadable(guest.resolve("var/db/zoneinfo"))
                && !Files.isDirectory(guest.resolve("var/db/zoneinfo"))
                || Files.isReadable(guest.resolve("etc/timezone")) && !Files.isDirectory(guest.resolve("etc/timezone")));
    }

    /** The file, symbolic links followed inside the guest's root (an absolute target is the guest's). */
    private static Optional<ZoneInfoFile> readZoneInfo(Path guest, Path file) {
        try {
            Path at = file;
            for (int hop = 0; Files.isSymbolicLink(at); hop++) {
                if (hop == MAX_LINKS) {
                    return Optional.empty();
                }
                String target = Files.readSymbolicLink(at).toString();
                at = target.startsWith("/") ? under(guest, target) : at.resolveSibling(target);
            }
            return ZoneInfoFile.parse(Files.readAllBytes(at));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path under(Path guest, String absolute) {
        return guest.resolve(absolute.substring(1));
    }
}
