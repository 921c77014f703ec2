package dev.somnus.credentials;

import dev.somnus.api.command.Strerror;
import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One user's {@code ~/.ssh/authorized_keys}, read and written as root without ever following a link
 * the user planted.
 *
 * <p>qemu-ga 7.2 follows links everywhere: with {@code ~/.ssh/authorized_keys -> /etc/shadow} a
 * get answers the shadow lines as keys and an add copies them into a file it then gives to the
 * user; with {@code ~/.ssh -> /root/.ssh} an add replaces root's keys. Here the home folder (the
 * administrator's, from passwd) is followed, but {@code .ssh} and {@code authorized_keys} are
 * opened relative to their folder's descriptor with {@code O_NOFOLLOW} (a
 * {@link SecureDirectoryStream}), and refused when they are links, of the wrong type, owned by
 * someone other than the user or root, or (the file) hard-linked elsewhere. Refused, not replaced: a
 * link may be the user's own deliberate setup, and the error tells the administrator why.
 *
 * <p>A write never opens the old file: a new file {@code authorized_keys.XXXXXX} is created beside
 * it (mode 0600), filled, synced, given to the user and renamed over the old one, as glib's
 * {@code g_file_set_contents} does, but with owner and mode set before the rename, so the file is
 * never visible with the wrong owner, and through the folder's descriptor rather than the path
 * (qemu-ga's {@code chown(path)} after the rename follows a link swapped in meanwhile). A missing
 * {@code .ssh} is created 0700 and given to the user ({@code mkdir_for_user}).
 *
 * <p>Residual race: the user can rename the temporary file and put another file under its name
 * between its creation and the chown; the chown does not follow links and is skipped unless the
 * name still holds a regular file of the agent's (root's) with one link, so at most a root-owned file that
 * already sat in the user's own folder could be given to them.
 */
final class AuthorizedKeysFile {

    /** Serialises the read-modify-write of add and remove: qemu-ga runs one request at a time. */
    static final Object WRITES = new Object();

    /** Largest file read: libvirt drops replies over 10 MiB anyway, and the agent's heap is small. */
    static final long MAX_SIZE = 8L << 20;

    private static final String SSH = ".ssh";
    private static final String FILE = "authorized_keys";
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TEMP_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** Who the agent runs as (the owner of /proc/self), the owner of every file it creates. */
    private static final int AGENT_UID = agentUid();

    private final PasswdEntry user;
    private final Path home;
    private final Path sshDir;
    private final Path file;

    private AuthorizedKeysFile(PasswdEntry user, Path home) {
        this.user = user;
        this.home = home;
        this.sshDir = home.resolve(SSH);
        this.file = sshDir.resolve(FILE);
    }

    /** The file of {@code username} under {@code root}, after qemu-ga's passwd lookup. */
    static AuthorizedKeysFile of(Path root, String username) throws CommandException {
        PasswdEntry user = PasswdEntry.lookup(root, username);
        return new AuthorizedKeysFile(user, user.homeUnder(root));
    }

    PasswdEntry user() {
        return user;
    }

    Path path() {
        return file;
    }

    /** Whether ~/.ssh is missing (and a write would create it); refusals are left to read/write. */
    boolean sshDirMissing() {
        return !Files.exists(sshDir, NOFOLLOW);
    }

    /**
     * qemu-ga's {@code read_authkeys}.
     *
     * @return the text, or empty when the home folder, ~/.ssh or the file does not exist
     * @throws CommandException {@code failed to read '<file>': ...} with glib's texts, or a refusal
     */
    Optional<AuthorizedKeysText> read() throws CommandException {
        return read(false);
    }

    /**
     * The text an add starts from: as {@link #read()}, but also empty where something of the wrong
     * type stands in the way (home or ~/.ssh not a folder, authorized_keys a folder), since qemu-ga
     * ignores the read error then and fails in {@link #write} with its own text. Refusals and other
     * errors still fail, where qemu-ga would overwrite what it could not read.
     */
    Optional<AuthorizedKeysText> readForAdd() throws CommandException {
        return read(true);
    }

    private Optional<AuthorizedKeysText> read(boolean forAdd) throws CommandException {
        try (SecureDirectoryStream<Path> homeDir = openHome()) {
            Entry ssh = inspect(homeDir, home, SSH);
            if (ssh == null) {
                return Optional.empty();
            }
            requireNoLink(ssh, sshDir);
            if (!ssh.attributes().isDirectory()) {
                if (forAdd) {
                    return Optional.empty();
                }
                // what open(2) says of <file>/authorized_keys, as in qemu-ga
                throw new NotDirectoryException(file.toString());
            }
            requireOwner(ssh, sshDir);
            try (SecureDirectoryStream<Path> dir = openSshDir(homeDir, ssh)) {
                Entry keys = inspect(dir, sshDir, FILE);
                if (keys == null) {
                    return Optional.empty();
                }
                if (keys.attributes().isDirectory()) {
                    if (forAdd) {
                        return Optional.empty();
                    }
                    // glib opens a folder, then fails to read it
                    throw new Refusal("Error reading file \u201c" + file + "\u201d: Is a directory");
                }
                requireKeysFile(keys);
                byte[] content = readAll(dir);
                Entry after = inspect(dir, sshDir, FILE);
                if (after == null || !after.key().equals(keys.key())) {
                    throw new Refusal("'" + file + "' was replaced while it was read");
                }
                return Optional.of(AuthorizedKeysText.parse(content));
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NotDirectoryException e) {
            if (forAdd) {
                return Optional.empty();
            }
            throw new CommandException("failed to read '" + file + "': Failed to open file \u201c" + file
                    + "\u201d: Not a directory");
        } catch (Refusal e) {
            throw new CommandException("failed to read '" + file + "': " + e.getMessage());
        } catch (IOException e) {
            throw new CommandException("failed to read '" + file + "': Failed to open file \u201c" + file + "\u201d: "
                    + Strerror.of(e));
        }
    }

    /** The error get answers for a file that does not exist, as glib words it. */
    CommandException missing() {
        return new CommandException("failed to read '" + file + "': Failed to open file \u201c" + file
                + "\u201d: No such file or directory");
    }

    /** qemu-ga's {@code mkdir_for_user} (when ~/.ssh is missing) and {@code write_authkeys}. */
    void write(AuthorizedKeysText text) throws CommandException {
        writeOrCheck(text);
    }

    /**
     * For a dry run: every check {@link #write} makes, with its errors, but nothing is created or
     * written (a missing ~/.ssh passes: the write would create it).
     */
    void checkWrite() throws CommandException {
        writeOrCheck(null);
    }

    private void writeOrCheck(AuthorizedKeysText text) throws CommandException {
        SecureDirectoryStream<Path> homeDir;
        try {
            homeDir = openHome();
        } catch (IOException e) {
            throw new CommandException("failed to create directory '" + sshDir + "': " + Strerror.of(e));
        }
        try (homeDir) {
            Entry ssh = inspect(homeDir, home, SSH);
            if (ssh == null) {
                if (text == null) {
                    return;
                }
                ssh = createSshDir(homeDir);
            }
            requireNoLink(ssh, sshDir);
            if (!ssh.attributes().isDirectory()) {
                // qemu-ga's g_mkdir fails on whatever is there
                throw new CommandException("failed to create directory '" + sshDir + "': File exists");
            }
            requireOwner(ssh, sshDir);
            try (SecureDirectoryStream<Path> dir = openSshDir(homeDir, ssh)) {
                Entry old = inspect(dir, sshDir, FILE);
                if (old != null && !old.attributes().isDirectory()) {
                    requireKeysFile(old);
                } // over a folder the rename fails with EISDIR, as qemu-ga's does
                if (text != null) {
                    replace(dir, text.render());
                }
            }
        } catch (Refusal e) {
            throw new CommandException("failed to write to '" + file + "': " + e.getMessage());
        } catch (IOException e) {
            // closing a folder descriptor, or inspecting what is there, failed
            throw new CommandException("failed to write to '" + file + "': " + Strerror.of(e));
        }
    }

    private Entry createSshDir(SecureDirectoryStream<Path> homeDir) throws IOException, CommandException {
        try {
            // mkdir does not follow a link in its last component; the home folder is the administrator's
            Files.createDirectory(sshDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new CommandException("failed to create directory '" + sshDir + "': " + Strerror.of(e));
        }
        PosixFileAttributeView view = homeDir.getFileAttributeView(Path.of(SSH), PosixFileAttributeView.class, NOFOLLOW);
        try {
            chown(view);
        } catch (IOException e) {
            throw new CommandException("failed to set ownership of directory '" + sshDir + "': " + Strerror.of(e));
        }
        try {
            view.setPermissions(PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new CommandException("failed to set permissions of directory '" + sshDir + "': " + Strerror.of(e));
        }
        Entry created = inspect(homeDir, home, SSH);
        if (created == null) {
            throw new Refusal("'" + sshDir + "' went away after it was created");
        }
        return created;
    }

    /** g_file_set_contents, with owner and mode set on the new file before it replaces the old. */
    private void replace(SecureDirectoryStream<Path> dir, byte[] content) throws IOException, CommandException {
        Path temp = createTemp(dir);
        Path tempPath = sshDir.resolve(temp);
        boolean renamed = false;
        try {
            try (SeekableByteChannel channel = dir.newByteChannel(temp,
                    Set.of(StandardOpenOption.WRITE, NOFOLLOW))) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (channel instanceof FileChannel fileChannel) {
                    fileChannel.force(true);
                }
            } catch (IOException e) {
                throw new CommandException("failed to write to '" + file + "': Failed to write file \u201c" + tempPath
                        + "\u201d: write() failed: " + Strerror.of(e));
            }
            Entry made = inspect(dir, sshDir, temp.toString());
            if (made == null || made.uid() != AGENT_UID || made.links() != 1 || !made.attributes().isRegularFile()) {
                throw new Refusal("'" + tempPath + "' was replaced before it was given to " + user.name());
            }
            PosixFileAttributeView view = dir.getFileAttributeView(temp, PosixFileAttributeView.class, NOFOLLOW);
            try {
                chown(view);
            } catch (IOException e) {
                // qemu-ga's text says directory here too (write_authkeys)
                throw new CommandException("failed to set ownership of directory '" + file + "': " + Strerror.of(e));
            }
            try {
                view.setPermissions(PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new CommandException("failed to set permissions of '" + file + "': " + Strerror.of(e));
            }
            try {
                dir.move(temp, dir, Path.of(FILE));
                renamed = true;
            } catch (IOException e) {
                throw new CommandException("failed to write to '" + file + "': Failed to rename file \u201c" + tempPath
                        + "\u201d to \u201c" + file + "\u201d: g_rename() failed: " + Strerror.of(e));
            }
        } finally {
            if (!renamed) {
                try {
                    dir.deleteFile(temp);
                } catch (IOException ignored) {
                    // already gone, or the folder cannot be written: nothing more to undo
                }
            }
        }
    }

    private Path createTemp(SecureDirectoryStream<Path> dir) throws CommandException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW);
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rw-------");
        IOException last = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            StringBuilder name = new StringBuilder(FILE).append('.');
            for (int i = 0; i < 6; i++) {
                name.append(TEMP_CHARS.charAt(RANDOM.nextInt(TEMP_CHARS.length())));
            }
            Path temp = Path.of(name.toString());
            try {
                dir.newByteChannel(temp, options, PosixFilePermissions.asFileAttribute(mode)).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                last = e;
            } catch (IOException e) {
                throw new CommandException("failed to write to '" + file + "': Failed to create file \u201c"
                        + sshDir.resolve(temp) + "\u201d: " + Strerror.of(e));
            }
        }
        throw new CommandException("failed to write to '" + file + "': Failed to create file \u201c" + sshDir.resolve(FILE)
                + ".XXXXXX\u201d: " + Strerror.of(last));
    }

    private void chown(PosixFileAttributeView view) throws IOException {
        UserPrincipalLookupService lookup = home.getFileSystem().getUserPrincipalLookupService();
        // numeric ids: the names are those of <root>/etc/passwd, not necessarily this machine's
        view.setOwner(lookup.lookupPrincipalByName(Integer.toUnsignedString(user.uid())));
        view.setGroup(lookup.lookupPrincipalByGroupName(Integer.toUnsignedString(user.gid())));
    }

    private byte[] readAll(SecureDirectoryStream<Path> dir) throws IOException {
        try (SeekableByteChannel channel = dir.newByteChannel(Path.of(FILE), Set.of(StandardOpenOption.READ, NOFOLLOW))) {
            if (channel.size() > MAX_SIZE) {
                throw new Refusal("'" + file + "' is larger than " + (MAX_SIZE >> 20) + " MiB");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) channel.size() + 1);
            while (channel.read(buffer) > 0) {
                if (!buffer.hasRemaining()) {
                    if (buffer.capacity() > MAX_SIZE) {
                        throw new Refusal("'" + file + "' is larger than " + (MAX_SIZE >> 20) + " MiB");
                    }
                    ByteBuffer bigger = ByteBuffer.allocate(buffer.capacity() * 2);
                    buffer.flip();
                    bigger.put(buffer);
                    buffer = bigger;
                }
            }
            byte[] content = new byte[buffer.position()];
            buffer.flip();
            buffer.get(content);
            return content;
        }
    }

    private SecureDirectoryStream<Path> openHome() throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(home);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        throw new Refusal("this platform cannot open files relative to a folder, so links could not be avoided");
    }

    private SecureDirectoryStream<Path> openSshDir(SecureDirectoryStream<Path> homeDir, Entry ssh) throws IOException {
        SecureDirectoryStream<Path> dir = homeDir.newDirectoryStream(Path.of(SSH), NOFOLLOW);
        Object opened = dir.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
        if (!ssh.key().equals(opened)) {
            dir.close();
            throw new Refusal("'" + sshDir + "' was replaced while it was opened");
        }
        return dir;
    }

    private void requireKeysFile(Entry keys) throws Refusal {
        requireNoLink(keys, file);
        if (!keys.attributes().isRegularFile()) {
            throw new Refusal("'" + file + "' is not a regular file");
        }
        requireOwner(keys, file);
        if (keys.links() != 1) {
            // a hard link the user made to a file of someone else's (without fs.protected_hardlinks)
            throw new Refusal("'" + file + "' has " + keys.links() + " hard links");
        }
    }

    private static void requireNoLink(Entry entry, Path path) throws Refusal {
        if (entry.attributes().isSymbolicLink()) {
            throw new Refusal("'" + path + "' is a symbolic link, which is not followed");
        }
    }

    private void requireOwner(Entry entry, Path path) throws Refusal {
        if (entry.uid() != user.uid() && entry.uid() != 0) {
            throw new Refusal("'" + path + "' belongs to uid " + Integer.toUnsignedString(entry.uid()) + ", neither "
                    + user.name() + " nor root");
        }
    }

    /**
     * What is at {@code name} in the open folder, without following a link, or null when nothing is.
     * The uid and link count are not in the descriptor-relative view, so they come from the path
     * and count only if that names the same file (device and inode) the descriptor found.
     */
    private static int agentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    private static Entry inspect(SecureDirectoryStream<Path> dir, Path dirPath, String name) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = dir.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, NOFOLLOW).readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
        Map<String, Object> unix;
        try {
            unix = Files.readAttributes(dirPath.resolve(name), "unix:fileKey,uid,nlink", NOFOLLOW);
        } catch (NoSuchFileException e) {
            throw new Refusal("'" + dirPath.resolve(name) + "' was replaced while it was checked");
        }
        if (!Objects.equals(attributes.fileKey(), unix.get("fileKey"))) {
            throw new Refusal("'" + dirPath.resolve(name) + "' was replaced while it was checked");
        }
        return new Entry(attributes, (Integer) unix.get("uid"), (Integer) unix.get("nlink"));
    }

    private record Entry(BasicFileAttributes attributes, int uid, int links) {
        Object key() {
            return attributes.fileKey();
        }
    }

    /** Something the user placed that the agent will not read or write through. */
    private static final class Refusal extends IOException {
        private static final long serialVersionUID = 1L;

        Refusal(String reason) {
            super(reason);
        }
    }
}
