package dev.somnus.reaper.impl.posix;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.kenai.jffi.MemoryIO;

import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The native memory of one posix_spawn call: one zeroed block, carved front to back, freed when
 * the call returns. (jnr's own allocations are freed only by finalizers, which an agent that
 * spawns for as long as it runs should not lean on.)
 */
final class NativeBlock implements AutoCloseable {

    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private static final int ALIGN = 16;

    private final Runtime runtime;
    private final long size;
    private long base;
    private long used;

    /** @param capacity at least the sum of {@link #sizeOf(int)}, {@link #sizeOf(String)} and {@link #sizeOf(List)} */
    NativeBlock(Runtime runtime, long capacity) {
        this.runtime = runtime;
        this.size = capacity;
        this.base = MEMORY.allocateMemory(capacity, true);
        if (base == 0) {
            throw new OutOfMemoryError("cannot allocate " + capacity + " bytes of native memory");
        }
    }

    static long sizeOf(int bytes) {
        return (bytes + ALIGN - 1L) / ALIGN * ALIGN;
    }

    /** An upper bound: UTF-8 takes at most 3 bytes per UTF-16 char, plus the NUL. */
    static long sizeOf(String s) {
        return (3L * s.length() + 1 + ALIGN - 1) / ALIGN * ALIGN;
    }

    static long sizeOf(List<String> strings) {
        long total = (strings.size() + 1L) * Long.BYTES + ALIGN;
        for (String s : strings) {
            total += sizeOf(s);
        }
        return total;
    }

    Pointer reserve(int bytes) {
        return Pointer.wrap(runtime, take(sizeOf(bytes)));
    }

    Pointer string(String s) {
        return Pointer.wrap(runtime, put(s));
    }

    /** A NULL-terminated char* array (the block is zeroed, so the last slot already is NULL). */
    Pointer stringArray(List<String> strings) {
        int pointerSize = runtime.addressSize();
        long array = take(sizeOf((strings.size() + 1) * pointerSize));
        for (int i = 0; i < strings.size(); i++) {
            MEMORY.putAddress(array + (long) i * pointerSize, put(strings.get(i)));
        }
        return Pointer.wrap(runtime, array);
    }

    private long put(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        long address = take(sizeOf(bytes.length + 1));
        MEMORY.putByteArray(address, bytes, 0, bytes.length);
        return address;
    }

    private long take(long bytes) {
        if (used + bytes > size) {
            throw new IllegalStateException("native block of " + size + " bytes overrun");
        }
        long address = base + used;
        used += bytes;
        return address;
    }

    @Override
    public void close() {
        if (base != 0) {
            MEMORY.freeMemory(base);
            base = 0;
        }
    }
}
