package dev.somnus.clock.rtc;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An RTC in memory, at one path; it reaches no device. */
final class FakeRtcDevice implements RtcDevice {

    final Path path;
    volatile LocalDateTime time;
    volatile RtcException readError;
    volatile RtcException writeError;
    final List<String> calls = new CopyOnWriteArrayList<>();

    FakeRtcDevice(Path path, LocalDateTime time) {
        this.path = path;
        this.time = time;
    }

    @Override
    public LocalDateTime read(Path device) throws RtcException {
        calls.add("RTC_RD_TIME " + device);
        at(device);
        if (readError != null) {
            throw readError;
        }
        return time;
    }

    @Override
    public void write(Path device, LocalDateTime newTime) throws RtcException {
        calls.add("RTC_SET_TIME " + device + " " + newTime);
        at(device);
        if (writeError != null) {
            throw writeError;
        }
        time = newTime;
    }

    private void at(Path device) throws RtcException {
        if (!device.equals(path)) {
            throw new RtcException(2, "cannot open " + device + ": No such file or directory");
        }
    }
}
