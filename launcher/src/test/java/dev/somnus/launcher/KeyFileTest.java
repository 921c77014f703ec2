package dev.somnus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** GLib key-file reading; every expectation was observed with qemu-ga 7.2.22's config loader. */
class KeyFileTest {

    private static KeyFile parse(String content) throws KeyFile.KeyFileException {
        return KeyFile.parse(content.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void blanksAroundGroupsKeysAndValuesAreTrimmedButATrailingBlankInAValueStays() throws Exception {
        KeyFile file = parse(" [general] \n  path = /x y \n# comment\n\nmethod=unix-listen\r\n");

        assertThat(file.getString("general", "path")).isEqualTo("/x y ");
        assertThat(file.getString("general", "method")).isEqualTo("unix-listen");
    }

    @Test
    void theLastValueOfARepeatedKeyWinsAcrossRepeatedGroups() throws Exception {
        KeyFile file = parse("[general]\npath=1\n[other]\npath=9\n[general]\npath=2\npath=3\n");

        assertThat(file.getString("general", "path")).isEqualTo("3");
        assertThat(file.getString("other", "path")).isEqualTo("9");
    }

    @Test
    void escapesAreResolvedAndBadOnesRefused() throws Exception {
        assertThat(parse("[g]\nk=a\\sb\\\\c\\td\n").getString("g", "k")).isEqualTo("a b\\c\td");
        String uninterpretable = "Key file contains key \u201ck\u201d which has a value that cannot be interpreted.";
        assertThatThrownBy(() -> parse("[g]\nk=a\\qb\n").getString("g", "k")).hasMessage(uninterpretable);
        assertThatThrownBy(() -> parse("[g]\nk=ab\\\n").getString("g", "k")).hasMessage(uninterpretable);
    }

    @Test
    void linesThatAreNeitherGroupNorPairNorCommentAreRefused() {
        assertThatThrownBy(() -> parse("[general\n")).hasMessage(
                "Key file contains line \u201c[general\u201d which is not a key-value pair, group, or comment");
        assertThatThrownBy(() -> parse("[gen]eral]\n")).hasMessage(
                "Key file contains line \u201c[gen]eral]\u201d which is not a key-value pair, group, or comment");
        assertThatThrownBy(() -> parse("[g]\n=3\n")).hasMessage(
                "Key file contains line \u201c=3\u201d which is not a key-value pair, group, or comment");
        assertThatThrownBy(() -> parse("path=x\n")).hasMessage("Key file does not start with a group");
    }

    @Test
    void valuesMustBeUtf8() throws Exception {
        KeyFile file = parse("[g]\nk=\u00e9\n"); // one byte 0xE9 on disk
        assertThatThrownBy(() -> file.getString("g", "k")).hasMessageStartingWith(
                "Key file contains key \u201ck\u201d with value \u201c").hasMessageEndingWith("\u201d which is not UTF-8");
    }

    @Test
    void booleans() throws Exception {
        KeyFile file = parse("[g]\na=true\nb=1\nc=false\nd=0\ne=yes\nf=\n");
        assertThat(file.getBoolean("g", "a")).isTrue();
        assertThat(file.getBoolean("g", "b")).isTrue();
        assertThat(file.getBoolean("g", "c")).isFalse();
        assertThat(file.getBoolean("g", "d")).isFalse();
        assertThatThrownBy(() -> file.getBoolean("g", "e")).isInstanceOf(KeyFile.KeyFileException.class);
        assertThatThrownBy(() -> file.getBoolean("g", "f")).isInstanceOf(KeyFile.KeyFileException.class);
    }

    @Test
    void escapingForTheDumpRoundTrips() throws Exception {
        String value = " lead\\tab\tnew\nline ";
        String escaped = KeyFile.escape(value);
        assertThat(escaped).isEqualTo("\\slead\\\\tab\\tnew\\nline ");
        assertThat(parse("[g]\nk=" + escaped + "\n").getString("g", "k")).isEqualTo(value);
    }
}
