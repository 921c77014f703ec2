package dev.somnus.reaper.impl;

import java.time.Duration;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import dev.somnus.api.process.ChildProcess;
import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.process.ChildSpec;

/**
 * The {@link ChildProcesses} service. Immediate: it owns SIGCHLD and the subreaper flag for as
 * long as the bundle is active, and a delayed component would be deactivated (killing the
 * children) whenever its last consumer let go. A configuration change reaches future spawns
 * without touching running children; deactivation kills and reaps them. Its configuration is
 * published with the service, so {@link ChildProcesses#TRUSTED_DIRECTORIES} follows it: providers
 * probe again when it changes.
 */
@Component(configurationPid = "dev.somnus.reaper", immediate = true,
        service = {ChildProcesses.class, LiveChildren.class})
@Designate(ocd = ReaperConfig.class)
public final class ReaperComponent implements ChildProcesses, LiveChildren {

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    private Reaper reaper;

    @Activate
    void activate(ReaperConfig config) {
        reaper = new Reaper(settings(config), new Reaper.Log() {
            @Override
            public void warn(String message) {
                logger.warn(message);
            }

            @Override
            public void error(String message, Throwable cause) {
                logger.error(message, cause);
            }
        });
        logger.info("reaper started; programs are looked up in {}", reaper.trustedDirectories());
    }

    @Modified
    void modified(ReaperConfig config) {
        reaper.update(settings(config));
    }

    @Deactivate
    void deactivate() {
        reaper.close();
    }

    static Reaper.Settings settings(ReaperConfig config) {
        return new Reaper.Settings(config.trusted_directories(), config.child_subreaper(),
                Duration.ofMillis(Math.max(10, config.sweep_interval_ms())));
    }

    @Override
    public ChildProcess spawn(ChildSpec spec) {
        return reaper.spawn(spec);
    }

    @Override
    public List<LiveChild> live() {
        return reaper.live();
    }
}
