/**
 * The resource commands: the guest's logical processors ({@code guest-get-vcpus},
 * {@code guest-set-vcpus}), memory blocks ({@code guest-get-memory-blocks},
 * {@code guest-set-memory-blocks}, {@code guest-get-memory-block-info}), load
 * ({@code guest-get-load}) and counters ({@code guest-get-cpustats}, {@code guest-get-diskstats}),
 * answered as qemu-ga 7.2 answers them (guest-get-load as qemu 10.0). Every path is read under the
 * configured root (PID {@code dev.somnus.resources}, {@link dev.somnus.resources.ResourcesConfiguration}),
 * so a fake /proc and /sys stands in for the machine's in tests.
 *
 * <p>Where to look: one class per command ({@code *Command}); {@code LogicalProcessors} and
 * {@code MemoryBlocks} move on/offline states between a request and sysfs (qemu-ga's transfer_vcpu and
 * transfer_memory_block); {@code StructListArgument} checks the set commands' lists as qemu's input
 * visitor does; {@code ScanfLine} and {@code CNumbers} read /proc the way glibc's sscanf, strtol and
 * strtod do; {@code Errno} and {@code CallFailure} carry the errno texts and numbers qemu-ga reports.
 * Nothing is exported.
 */
package dev.somnus.resources;
