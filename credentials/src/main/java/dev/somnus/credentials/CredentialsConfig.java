package dev.somnus.credentials;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The configuration the three authorized_keys commands share (PID {@value #PID}). */
@ObjectClassDefinition(id = CredentialsConfig.PID, name = "Somnus credentials commands",
        description = "guest-ssh-get/-add/-remove-authorized-keys: users from <root>/etc/passwd, their keys in"
                + " <root><home>/.ssh/authorized_keys.")
public @interface CredentialsConfig {

    String PID = "dev.somnus.credentials";

    @AttributeDefinition(description = "The guest's root folder: /etc/passwd and the home folders are read under it."
            + " Point it at a fake tree to try the commands without touching real keys.")
    String root() default "/";
}
