package dev.somnus.network;

import dev.somnus.api.command.CommandException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.PointerByReference;

/**
 * The kernel's interfaces through the same C calls qemu-ga makes: {@code getifaddrs()} (glibc asks
 * the kernel over netlink, links first, then IPv4, then IPv6 addresses, and names IPv4 addresses by
 * their label) and {@code ioctl(SIOCGIFHWADDR)} on an AF_INET socket. java.net.NetworkInterface is
 * not used: its order, its aliases and its address texts differ from what qemu-ga answers.
 * libc is bound on first use, once per class loader.
 */
final class NativeInterfaceSource implements InterfaceSource {

    // Linux values shared by x86_64 and aarch64 (the architectures whose jffi library is embedded)
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final long SIOCGIFHWADDR = 0x8927;
    private static final int EADDRNOTAVAIL = 99;
    private static final int IFNAMSIZ = 16;
    /** struct ifreq: ifr_name[IFNAMSIZ], then the union whose ifr_hwaddr is a struct sockaddr. */
    private static final int IFREQ_SIZE = 40;
    private static final int IFR_HWADDR_DATA = IFNAMSIZ + 2;
    private static final int ETHER_ADDR_LEN = 6;

    private static final class Binding {
        static final Binding INSTANCE = load();

        final NetworkLibC libc;
        final Runtime runtime;
        final Throwable failure;

        private Binding(NetworkLibC libc, Throwable failure) {
            this.libc = libc;
            this.runtime = libc == null ? null : Runtime.getRuntime(libc);
            this.failure = failure;
        }

        private static Binding load() {
            try {
                return new Binding(LibraryLoader.create(NetworkLibC.class)
                        .option(LibraryOption.SaveError, Boolean.TRUE)
                        .failImmediately()
                        .load("c"), null);
            } catch (LinkageError | RuntimeException e) {
                return new Binding(null, e);
            }
        }
    }

    private final Consumer<String> warnings;

    /** @param warnings where qemu-ga's g_warning lines go (a refused SIOCGIFHWADDR other than EADDRNOTAVAIL) */
    NativeInterfaceSource(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    @Override
    public List<InterfaceAddress> addresses() throws CommandException {
        Binding binding = binding("getifaddrs failed");
        PointerByReference list = new PointerByReference();
        if (binding.libc.getifaddrs(list) < 0) {
            throw new CommandException("getifaddrs failed: " + binding.libc.strerror(binding.runtime.getLastError()));
        }
        Pointer head = list.getValue();
        try {
            return entries(binding.runtime, head);
        } finally {
            if (head != null) {
                binding.libc.freeifaddrs(head);
            }
        }
    }

    /** Walks struct ifaddrs: ifa_next, ifa_name, ifa_flags (padded to a pointer), ifa_addr, ifa_netmask. */
    private static List<InterfaceAddress> entries(Runtime runtime, Pointer head) {
        int pointer = runtime.addressSize();
        List<InterfaceAddress> entries = new ArrayList<>();
        for (Pointer entry = head; entry != null; entry = entry.getPointer(0)) {
            Pointer namePointer = entry.getPointer(pointer);
            String name = namePointer == null ? "" : namePointer.getString(0, 4096, StandardCharsets.UTF_8);
            Pointer address = entry.getPointer(3L * pointer);
            Pointer netmask = entry.getPointer(4L * pointer);
            int family = address == null ? -1 : address.getShort(0) & 0xffff;
            if (family == AF_INET) {
                // struct sockaddr_in: family, port, then sin_addr at 4
                entries.add(new InterfaceAddress(name, bytes(address, 4, 4), netmask == null ? null : bytes(netmask, 4, 4)));
            } else if (family == AF_INET6) {
                // struct sockaddr_in6: family, port, flowinfo, then sin6_addr at 8
                entries.add(new InterfaceAddress(name, bytes(address, 8, 16), netmask == null ? null : bytes(netmask, 8, 16)));
            } else {
                entries.add(InterfaceAddress.link(name));
            }
        }
        return entries;
    }

    private static byte[] bytes(Pointer memory, long offset, int length) {
        byte[] bytes = new byte[length];
        memory.get(offset, bytes, 0, length);
        return bytes;
    }

    @Override
    public Optional<byte[]> hardwareAddress(String name) throws CommandException {
        Binding binding = binding("failed to create socket");
        // qemu-ga opens one AF_INET stream socket per lookup (commands-posix.c guest_get_hw_addr);
        // CLOEXEC so that a child spawned meanwhile does not inherit it
        int fd = binding.libc.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new CommandException("failed to create socket: " + binding.libc.strerror(binding.runtime.getLastError()));
        }
        try {
            Pointer request = Memory.allocateDirect(binding.runtime, IFREQ_SIZE, true);
            // pstrcpy(ifr.ifr_name, IF_NAMESIZE, name): at most 15 bytes and the NUL
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            request.put(0, nameBytes, 0, Math.min(nameBytes.length, IFNAMSIZ - 1));
            if (binding.libc.ioctl(fd, SIOCGIFHWADDR, request) < 0) {
                int errno = binding.runtime.getLastError();
                if (errno != EADDRNOTAVAIL) {
                    warnings.accept("failed to get MAC address of " + name + ": " + binding.libc.strerror(errno));
                }
                return Optional.empty();
            }
            return Optional.of(bytes(request, IFR_HWADDR_DATA, ETHER_ADDR_LEN));
        } finally {
            binding.libc.close(fd);
        }
    }

    private static Binding binding(String failure) throws CommandException {
        Binding binding = Binding.INSTANCE;
        if (binding.failure != null) {
            throw new CommandException(failure + ": native calls unavailable (jnr-ffi): " + binding.failure);
        }
        return binding;
    }
}
