package dev.somnus.inventory;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The one configuration of the inventory commands (PID {@value #PID}): the folder that stands for
 * the guest's {@code /}. Every file the commands read is under it, so tests point it at a fake tree.
 */
@ObjectClassDefinition(id = InventoryConfig.PID, name = "Somnus inventory commands",
        description = "guest-get-osinfo, -host-name, -timezone and -users read their files under this root.")
public @interface InventoryConfig {

    String PID = "dev.somnus.inventory";

    @AttributeDefinition(description = "The folder that stands for the guest's /: etc/os-release, usr/lib/os-release,"
            + " proc/sys/kernel/{hostname,osrelease,version,arch}, etc/localtime, usr/share/zoneinfo, var/run/utmp.")
    String root() default "/";
}
