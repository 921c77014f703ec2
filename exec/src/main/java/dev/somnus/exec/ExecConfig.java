package dev.somnus.exec;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of PID {@code dev.somnus.exec}. */
@ObjectClassDefinition(name = "Somnus guest-exec",
        description = "guest-exec and guest-exec-status: how many children are kept and how much output.")
public @interface ExecConfig {

    @AttributeDefinition(name = "Kept children",
            description = "At most this many guest-exec children are kept, running or finished but not yet read"
                    + " by guest-exec-status. At the bound, guest-exec forgets the oldest finished one (its pid"
                    + " then reads as unknown); when all are still running, guest-exec fails. qemu-ga keeps any"
                    + " number.", min = "1")
    int max_children() default 64;

    @AttributeDefinition(name = "Output cap (bytes)",
            description = "Captured bytes kept per stream; the rest is read and dropped, and out-truncated or"
                    + " err-truncated says so. qemu-ga: 16 MiB (GUEST_EXEC_MAX_OUTPUT).", min = "0")
    int output_cap() default 16 * 1024 * 1024;
}
