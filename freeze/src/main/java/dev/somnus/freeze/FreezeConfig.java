package dev.somnus.freeze;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The configuration of the freeze and trim commands (PID {@value #PID}). */
@ObjectClassDefinition(id = FreezeConfig.PID, name = "Somnus file system freeze and trim",
        description = "guest-fsfreeze-* and guest-fstrim: which mount table they read, where the frozen marker "
                + "lives, and an optional deadline after which the agent thaws by itself.")
public @interface FreezeConfig {

    String PID = "dev.somnus.freeze";

    @AttributeDefinition(description = "The tree under which proc/self/mountinfo (or proc/self/mounts) is read "
            + "and the mount points are opened. Anything but / is a test tree: then nothing on the file system "
            + "of / or of the tree itself is ever frozen or trimmed.")
    String root() default "/";

    @AttributeDefinition(description = "Where qga.state.isfrozen is kept; empty: the agent's state dir "
            + "(-t/--statedir, framework property somnus.ga.statedir), else /var/run.")
    String stateDirectory() default "";

    @AttributeDefinition(description = "Beyond qemu-ga: thaw by itself this many seconds after a freeze the host "
            + "never thawed (the host's guest-fsfreeze-thaw then answers 0). 0 = never, as qemu-ga.")
    long thawAfterSeconds() default 0;
}
