package dev.somnus.inventory;

import dev.somnus.api.command.Command;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * {@code guest-get-users} as qemu-ga 7.2 answers it ({@code qmp_guest_get_users},
 * qga/commands-posix.c): every {@code USER_PROCESS} record of the utmp file, one entry per user
 * name in the order of its first record, with the earliest {@code login-time} of its records in
 * seconds ({@code tv_sec + tv_usec / 1e6}, {@code ga_get_login_time}). A missing or unreadable
 * utmp gives an empty list, as glibc's {@code getutxent} then returns nothing.
 *
 * <p>The file is {@code <root>/var/run/utmp} (glibc's {@code _PATH_UTMP}) in glibc's layout for
 * x86_64 and aarch64: 384-byte little-endian records; a partial last record is ignored.
 */
@Component(service = Command.class, configurationPid = InventoryConfig.PID,
        property = Command.NAME_PROPERTY + "=" + UsersCommand.NAME)
public final class UsersCommand implements Command {

    static final String NAME = "guest-get-users";

    static final int RECORD_SIZE = 384;
    static final short USER_PROCESS = 7;
    static final int TYPE_OFFSET = 0;
    static final int USER_OFFSET = 44;
    static final int TV_SEC_OFFSET = 340;
    static final int TV_USEC_OFFSET = 344;

    private volatile Path utmp;

    @Activate
    @Modified
    void configure(InventoryConfig config) {
        utmp = Path.of(config.root(), "var/run/utmp");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object execute(Map<String, Object> arguments) {
        byte[] content;
        try {
            content = Files.readAllBytes(utmp);
        } catch (IOException e) {
            return List.of();
        }
        ByteBuffer records = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        List<Object> users = new ArrayList<>();
        Map<String, Map<String, Object>> byName = new HashMap<>();
        for (int at = 0; at + RECORD_SIZE <= content.length; at += RECORD_SIZE) {
            if (records.getShort(at + TYPE_OFFSET) != USER_PROCESS) {
                continue;
            }
            String user = userName(content, at);
            double loginTime = (double) records.getInt(at + TV_SEC_OFFSET)
                    + (double) records.getInt(at + TV_USEC_OFFSET) / 1_000_000.0;
            Map<String, Object> entry = byName.get(user);
            if (entry == null) {
                entry = new LinkedHashMap<>();
                entry.put("user", user);
                entry.put("login-time", loginTime);
                byName.put(user, entry);
                users.add(entry);
            } else if (loginTime < (Double) entry.get("login-time")) {
                entry.put("login-time", loginTime);
            }
        }
        return users;
    }

    /**
     * {@code g_strdup(ut_user)}: up to the first NUL. A name that fills all 32 bytes has none, and
     * qemu-ga's copy runs on into {@code ut_host}; so does this one (to the record's end at most).
     */
    private static String userName(byte[] content, int record) {
        int start = record + USER_OFFSET;
        int end = start;
        while (end < record + RECORD_SIZE && content[end] != 0) {
            end++;
        }
        return new String(content, start, end - start, StandardCharsets.UTF_8);
    }
}
