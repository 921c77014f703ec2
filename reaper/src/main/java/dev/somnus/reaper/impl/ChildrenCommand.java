package dev.somnus.reaper.impl;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The gogo command {@code somnus:children}: the running children, oldest first. */
@Component(service = ChildrenCommand.class,
        property = {"osgi.command.scope=somnus", "osgi.command.function=children"})
public final class ChildrenCommand {

    @Reference
    private LiveChildren children;

    /** One line per running child: pid, age, timeout and argv. */
    public String children() {
        return format(children.live(), Instant.now());
    }

    static String format(List<LiveChild> live, Instant now) {
        StringBuilder out = new StringBuilder(String.format("%-8s %9s %9s  %s%n", "PID", "AGE", "TIMEOUT", "ARGV"));
        for (LiveChild child : live) {
            out.append(String.format("%-8d %9s %9s  %s%n", child.pid(), seconds(Duration.between(child.started(), now)),
                    child.timeout() == null ? "-" : seconds(child.timeout()), String.join(" ", child.argv())));
        }
        if (live.isEmpty()) {
            out.append("(no running children)").append(System.lineSeparator());
        }
        return out.toString();
    }

    private static String seconds(Duration d) {
        return String.format("%.1fs", d.toMillis() / 1000.0);
    }
}
