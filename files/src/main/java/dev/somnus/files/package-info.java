/**
 * The guest-file-* family (issue 14): {@link dev.somnus.files.OpenFiles} holds the agent's handles
 * and their qemu-ga numbering, {@link dev.somnus.files.OpenFile} one handle, and one small command
 * class per wire name sits on top. Replies and error texts are qemu-ga 7.2's
 * (qga/commands-posix.c, qga/commands.c, util/base64.c), checked byte for byte against the live
 * agent by FilesDifferentialTest.
 *
 * <p>Deliberate differences from qemu-ga 7.2, each explained where it is implemented: writes go to
 * the kernel at once (no stdio buffer, so flush has nothing to do and a write error shows at the
 * write, not at flush or close); FIFOs are refused at open (the JDK cannot open with
 * {@code O_NONBLOCK}); reads of a character device wait for data instead of failing with EAGAIN;
 * {@code a+} appends by writing at the end of the file rather than with {@code O_APPEND}; paths
 * are taken under a configurable root; at most {@code maxHandles} handles are open at once; a
 * missing or broken qga.state restarts the count at 1000 instead of stopping the agent; a path
 * holding NUL fails with ENOENT's text.
 */
package dev.somnus.files;
