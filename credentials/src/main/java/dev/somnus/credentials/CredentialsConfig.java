package dev.somnus.credentials;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The configuration the credentials commands share (PID {@value #PID}). */
@ObjectClassDefinition(id = CredentialsConfig.PID, name = "Somnus credentials commands",
        description = "guest-ssh-get/-add/-remove-authorized-keys: users from <root>/etc/passwd, their keys in"
                + " <root><home>/.ssh/authorized_keys. guest-set-user-password: the chpasswd it runs.")
public @interface CredentialsConfig {

    String PID = "dev.somnus.credentials";

    @AttributeDefinition(description = "The guest's root folder: /etc/passwd and the home folders are read under it."
            + " Point it at a fake tree to try the commands without touching real keys.")
    String root() default "/";

    @AttributeDefinition(description = "The program guest-set-user-password runs, with \"user:password\" on its"
            + " stdin (and -e for a crypted password). A name without '/' is looked up in the reaper's trusted"
            + " directories (qemu-ga 7.2 looks up chpasswd in its PATH). Point it at a fake program to try the"
            + " command without changing a password.")
    String chpasswd() default "/usr/sbin/chpasswd";
}
