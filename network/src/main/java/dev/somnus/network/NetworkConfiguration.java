package dev.somnus.network;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The configuration both network commands share (PID {@value #PID}, conf/dev.somnus.network.cfg). */
@ObjectClassDefinition(id = NetworkConfiguration.PID, name = "Somnus network commands",
        description = "guest-network-get-interfaces and guest-network-get-route.")
public @interface NetworkConfiguration {

    String PID = "dev.somnus.network";

    @AttributeDefinition(description = "The folder holding proc/net/dev, proc/net/route and proc/net/ipv6_route"
            + " (the interfaces and addresses themselves always come from the kernel).")
    String root() default "/";
}
