package dev.somnus.resources;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The one setting every resource command shares (configuration PID {@value #PID}). */
@ObjectClassDefinition(id = ResourcesConfiguration.PID, name = "Somnus resource commands",
        description = "guest-get/set-vcpus, guest-get/set-memory-blocks, guest-get-memory-block-info, "
                + "guest-get-load, guest-get-cpustats and guest-get-diskstats.")
public @interface ResourcesConfiguration {

    String PID = "dev.somnus.resources";

    @AttributeDefinition(description = "The folder under which /proc and /sys are read and written: "
            + "\"/\" on a guest, a fake tree in tests.")
    String root() default "/";
}
