/**
 * The mounted file systems as qemu-ga 7.2's {@code build_fs_mount_list} lists them, for the
 * storage commands (guest-get-fsinfo) and the freeze commands (guest-fsfreeze-*, guest-fstrim).
 * Not a bundle: copied privately into each of them by bnd ({@code -conditionalpackage}), so
 * there is nothing to wire, nothing exported, and either family can be removed alone.
 */
package dev.somnus.mounts;
