package dev.somnus.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.testkit.QgaClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: guest-set-user-password sent to the built agent as libvirt and Proxmox send it, the
 * password reaching the fake guest's chpasswd (which only keeps what it reads: no password of this
 * machine can change) as {@code user:password\n}. conf/dev.somnus.credentials.cfg names the fake
 * before the agent starts, and the command is offered only once that configuration is in force,
 * so no request can meet /usr/sbin/chpasswd.
 */
class SetUserPasswordIT {

    @TempDir
    Path tmp;

    private AgentUnderTest agent;

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void libvirtsAndProxmoxsRequestsReachTheFakeChpasswdAsUserColonPasswordNewline() throws Exception {
        // users this machine does not have: even a chpasswd that was not the fake could change nothing
        assertThat(Files.readString(Path.of("/etc/passwd"))).doesNotContain("somnus-it-");
        agent = AgentUnderTest.onFakeGuest(tmp);
        assertThat(Files.readString(agent.home.resolve("conf/dev.somnus.credentials.cfg")))
                .contains("chpasswd=" + agent.guest.helper("chpasswd") + "\n");
        agent.start().awaitSocket();
        // libvirt (qemuAgentSetUserPassword): g_base64_encode, one line
        String libvirtPassword = "Zq7-libvirt secret";
        String libvirt = Base64.getEncoder().encodeToString(libvirtPassword.getBytes(StandardCharsets.UTF_8));
        // Proxmox (API2/Qemu/Agent.pm): Perl's encode_base64, a newline every 76 characters and at the end
        String proxmoxHash = "$6$Vx1PqZf0$9vQb8H2l0M4pX7rDmdU1f2e3lS6Yh9kTnJ5cB0aZwWqRyE4uI8oP7sA3dF6gH1jK2lL5zX8cV0bN3mM/";
        String proxmox = Base64.getMimeEncoder(76, "\n".getBytes()).encodeToString(proxmoxHash.getBytes()) + "\n";
        assertThat(proxmox.split("\n")).hasSizeGreaterThan(1);

        try (QgaClient host = agent.connect()) {
            host.sync();
            // the command comes with its configuration, after the socket
            agent.awaitListed(host, "guest-set-user-password", true);

            assertThat(host.call("{\"execute\":\"guest-set-user-password\",\"arguments\":{\"username\":\"somnus-it-alice\","
                    + "\"password\":\"" + libvirt + "\",\"crypted\":false}}")).isEqualTo("{\"return\": {}}");
            assertThat(host.call("{\"execute\":\"guest-set-user-password\",\"arguments\":{\"username\":\"somnus-it-root\","
                    + "\"password\":\"" + proxmox.replace("\n", "\\n") + "\",\"crypted\":true},\"id\":7}"))
                    .isEqualTo("{\"return\": {}, \"id\": 7}");
            assertThat(host.call("{\"execute\":\"guest-set-user-password\",\"arguments\":{\"username\":\"a:b\","
                    + "\"password\":\"" + libvirt + "\",\"crypted\":false},\"id\":8}"))
                    .isEqualTo(AgentUnderTest.error(8, "forbidden characters in username"));
            assertThat(host.call("{\"execute\":\"guest-set-user-password\",\"arguments\":{\"username\":\"somnus-it-alice\","
                    + "\"password\":\"not base64!\",\"crypted\":false},\"id\":9}"))
                    .isEqualTo(AgentUnderTest.error(9, "Base64 data contains invalid characters"));
        }

        // the suspend providers' probes are in the log too
        assertThat(agent.guest.calls()).filteredOn(call -> call.startsWith("chpasswd"))
                .containsExactly("chpasswd", "chpasswd -e");
        assertThat(new String(agent.guest.chpasswdInput(), StandardCharsets.UTF_8))
                .isEqualTo("somnus-it-alice:" + libvirtPassword + "\nsomnus-it-root:" + proxmoxHash + "\n");
        agent.await("the audit lines", () -> agent.log().contains("\"somnus-it-root\" has a new password (crypted: true)"));
        assertThat(agent.log()).contains("audit: guest-set-user-password: \"somnus-it-alice\" has a new password (crypted: false),"
                + " set by " + agent.guest.helper("chpasswd") + "\n");
        assertThat(agent.stop()).isZero();
        for (String secret : new String[] {libvirtPassword, libvirt, proxmoxHash, proxmox.split("\n")[0]}) {
            assertThat(agent.log()).doesNotContain(secret);
        }
    }

    @Test
    void theDryRunSaysWhatWouldRunWithThePasswordHiddenAndRunsNothing() throws Exception {
        agent = AgentUnderTest.dryRun(tmp);
        agent.start().awaitSocket();
        String password = Base64.getEncoder().encodeToString("Zq7-dry secret".getBytes(StandardCharsets.UTF_8));

        try (QgaClient host = agent.connect()) {
            host.sync();
            agent.awaitListed(host, "guest-set-user-password", true);
            assertThat(host.call("{\"execute\":\"guest-set-user-password\",\"arguments\":{\"username\":"
                    + "\"somnus-it-alice\",\"password\":\"" + password + "\",\"crypted\":true}}"))
                    .isEqualTo("{\"error\": {\"class\": \"GenericError\", \"desc\": \"dry run: guest-set-user-password would"
                            + " run " + agent.guest.helper("chpasswd") + " -e with \\\"somnus-it-alice:<hidden>\\\" on stdin;"
                            + " nothing was done (dryRun is set in dev.somnus.agent)\"}}");
        }

        assertThat(agent.guest.calls()).noneMatch(call -> call.startsWith("chpasswd"));
        assertThat(agent.guest.chpasswdInput()).isEmpty();
        assertThat(agent.stop()).isZero();
        assertThat(agent.log()).doesNotContain(password).doesNotContain("Zq7-dry secret");
    }
}
