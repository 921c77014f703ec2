package dev.somnus.storage;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The configuration both storage commands read (PID {@value #PID}). */
@ObjectClassDefinition(id = StorageConfig.PID, name = "Somnus storage commands",
        description = "guest-get-fsinfo and guest-get-disks: where they read /proc, /sys, /dev and /run/udev.")
public @interface StorageConfig {

    String PID = "dev.somnus.storage";

    @AttributeDefinition(description = "The tree under which /proc/self/mountinfo (or /proc/self/mounts), /sys, "
            + "/dev and /run/udev/data are read and the mount points are measured; a fake tree for tests.")
    String root() default "/";
}
