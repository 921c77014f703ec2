package dev.somnus.runtime.channel;

import static dev.somnus.runtime.channel.RunningChannel.creationFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VsockAddressTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "3:1234|3|1234",
        "4294967295:5000|4294967295|5000",
        "0:0|0|0",
        "+7:+8|7|8",
        "' 7:\t8'|7|8",
        "00000000000000000000000000000002:4294967295|2|4294967295",
    })
    void parsesCidAndPort(String text, long cid, long port) throws ChannelFailure {
        assertThat(VsockAddress.parse(text)).isEqualTo(new VsockAddress(cid, port));
    }

    // Every text below was checked against qemu-ga 7.2.22 (-m vsock-listen -p ...).
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "foo|error parsing address 'foo'",
        "1:2,3|trailing characters in address '1:2,3'",
        "x:1|Failed to parse cid 'x'",
        "4294967295:99999999999|Failed to parse port '99999999999'",
        "''|error parsing address ''",
        ":5|error parsing address ':5'",
        "5:|error parsing address '5:'",
        "5:,6|error parsing address '5:,6'",
        "-1:5|Failed to parse cid '-1'",
        "4294967296:5|Failed to parse cid '4294967296'",
        "1:2:3|Failed to parse port '2:3'",
        "'1: '|Failed to parse port ' '",
        "1:5x|Failed to parse port '5x'",
        "000000000000000000000000000000001:5|error parsing address '000000000000000000000000000000001:5'",
        "1:000000000000000000000000000000005|trailing characters in address '1:000000000000000000000000000000005'",
    })
    void rejectsWhatQemuGaRejectsWithItsTexts(String text, String error) {
        ChannelFailure failure = catchThrowableOfType(ChannelFailure.class, () -> VsockAddress.parse(text));

        assertThat(failure.lines()).containsExactlyElementsOf(creationFailure(error));
    }
}
