package dev.somnus.storage;

import java.nio.file.Path;
import java.util.Map;

/**
 * Run by {@link StorageDifferentialTest} inside a private mount namespace: prints our
 * guest-get-fsinfo reply, qemu-ga's, our guest-get-disks reply and qemu-ga's, one line each, all
 * read in the namespace this process and its qemu-ga share.
 */
public final class InMountNamespace {

    private InMountNamespace() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String ourFsinfo = StorageDifferentialTest.render(new FsInfoCommand(Roots.at("/")).execute(Map.of()));
        String theirFsinfo = StorageDifferentialTest.reference(dir.resolve("fsinfo"), "guest-get-fsinfo");
        String ourDisks = StorageDifferentialTest.render(new DisksCommand(Roots.at("/")).execute(Map.of()));
        String theirDisks = StorageDifferentialTest.reference(dir.resolve("disks"), "guest-get-disks");
        System.out.println(ourFsinfo);
        System.out.println(theirFsinfo);
        System.out.println(ourDisks);
        System.out.println(theirDisks);
    }
}
