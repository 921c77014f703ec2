package dev.somnus.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PublicKeysTest {

    @Test
    void fingerprintsAsSshKeygenDoesWithOrWithoutOptionsInFront() {
        assertThat(PublicKeys.fingerprint(FakeUsers.ED25519)).isEqualTo(FakeUsers.ED25519_FINGERPRINT);
        assertThat(PublicKeys.fingerprint("no-pty,from=\"10.0.0.0/8\" " + FakeUsers.RSA)).isEqualTo(FakeUsers.RSA_FINGERPRINT);
        assertThat(PublicKeys.fingerprint("  " + FakeUsers.RSA.replace(' ', '\t') + "\t")).isEqualTo(FakeUsers.RSA_FINGERPRINT);
    }

    @Test
    void aLineWithoutAMatchingKeyBlobShowsNoKey() {
        assertThat(PublicKeys.fingerprint("")).isEqualTo("(no key)");
        assertThat(PublicKeys.fingerprint("algo key1 comments")).isEqualTo("(no key)");
        // a valid blob under the wrong type name is not taken for a key
        assertThat(PublicKeys.fingerprint(FakeUsers.ED25519.replace("ssh-ed25519", "ssh-rsa"))).isEqualTo("(no key)");
        assertThat(PublicKeys.fingerprints(List.of("x", FakeUsers.ED25519)))
                .isEqualTo("[(no key), " + FakeUsers.ED25519_FINGERPRINT + "]");
    }
}
