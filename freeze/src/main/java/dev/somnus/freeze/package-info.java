/**
 * The freeze family (issue 13): guest-fsfreeze-status, -freeze, -freeze-list, -thaw and
 * guest-fstrim as qemu-ga 7.2 does them (qga/commands-posix.c, qga/commands-linux.c, qga/main.c).
 * {@link dev.somnus.freeze.GuestFreeze} holds the frozen state and does each freeze, thaw and trim
 * on the file systems {@code dev.somnus.mounts.MountTable} reads as {@code build_fs_mount_list}
 * does (a private copy of the mount-table module, shared with the storage bundle);
 * {@code NativeFileSystemControl} makes the FIFREEZE, FITHAW and FITRIM ioctls through jnr-ffi;
 * {@code FreezeHook} runs the {@code -F} hook through the reaper; one small command class per wire
 * name sits on top.
 *
 * <p>Deliberate differences from qemu-ga 7.2, each explained where it is implemented: a component
 * that stops while frozen thaws (qemu-ga does so at exit too, but ignores SIGTERM while frozen; the
 * launcher does not, yet); logging to a file goes on while frozen (a launcher matter); a hook the
 * reaper refuses to start (a program others could replace) answers
 * {@code fsfreeze hook has failed with status 1 (<why>)}, where qemu-ga's child exits 1 silently;
 * {@code thawAfterSeconds} (off by default) thaws by itself after a freeze the host never thawed;
 * with a root other than {@code /} (tests) nothing on the file system of {@code /} or of the tree
 * itself is frozen, thawed or trimmed.
 */
package dev.somnus.freeze;
