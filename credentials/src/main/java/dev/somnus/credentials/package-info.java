/**
 * The credentials family: {@code guest-ssh-get-authorized-keys}, {@code guest-ssh-add-authorized-keys}
 * and {@code guest-ssh-remove-authorized-keys}, as qemu-ga 7.2 implements them in
 * qga/commands-posix-ssh.c (matched against the 7.x file, qemu commit 01dc06511d, and the live
 * Debian 7.2.22 for the error texts of get).
 *
 * <p>Read in this order: the three commands (thin: arguments, lock, audit line, dry run);
 * {@link dev.somnus.credentials.PasswdEntry} (the user from {@code <root>/etc/passwd});
 * {@link dev.somnus.credentials.AuthorizedKeysText} (the lines and qemu-ga's three edits);
 * {@link dev.somnus.credentials.AuthorizedKeysFile} (reading and writing without following links);
 * {@link dev.somnus.credentials.PublicKeys} (argument checks, fingerprints for audit lines).
 * Private: the bundle exports nothing and offers only {@code Command} services.
 */
package dev.somnus.credentials;
