package dev.somnus.files;

import static dev.somnus.files.FileCommandsFixture.args;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/** Where the handle counter lives, and a configuration change applied in place. */
class OpenFilesConfigTest {

    @TempDir
    Path temp;

    @Test
    void keepsTheCounterInTheLaunchersStateDirUnlessConfiguredElsewhere() {
        assertThat(OpenFiles.settings(context("/run/somnus-test"), config("/", "", 64)).stateDirectory())
                .isEqualTo(Path.of("/run/somnus-test"));
        assertThat(OpenFiles.settings(context(null), config("/", "", 64)).stateDirectory())
                .isEqualTo(Path.of("/var/run"));
        assertThat(OpenFiles.settings(context("/run/somnus-test"), config("/srv", "/elsewhere", 3)))
                .isEqualTo(new OpenFiles.Settings(Path.of("/srv"), Path.of("/elsewhere"), 3));
    }

    @Test
    void aNewStateDirectoryBringsItsCounterAndOpenHandlesStayOpen() throws Exception {
        Path first = Files.createDirectories(temp.resolve("first"));
        Path second = Files.createDirectories(temp.resolve("second"));
        Files.writeString(second.resolve("qga.state"), "[global]\nfd_counter=1000\n");
        Files.writeString(temp.resolve("file"), "data");
        try (FileCommandsFixture f = new FileCommandsFixture(Path.of("/"), first, 64)) {
            String path = temp.resolve("file").toString();
            assertThat(f.call("guest-file-open", args("path", path))).isEqualTo("{\"return\": 1000}");
            f.files.modified(context(null), config("/", second.toString(), 64));
            // 1000 is still open: the next free number
            assertThat(f.call("guest-file-open", args("path", path))).isEqualTo("{\"return\": 1001}");
            assertThat(f.call("guest-file-read", args("handle", 1000L)))
                    .isEqualTo("{\"return\": {\"count\": 4, \"buf-b64\": \"ZGF0YQ==\", \"eof\": true}}");
            assertThat(Files.readString(second.resolve("qga.state"))).isEqualTo("[global]\nfd_counter=1002\n");
        }
    }

    private static BundleContext context(String statedir) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("getProperty") && OpenFiles.STATEDIR_PROPERTY.equals(arguments[0])) {
                        return statedir;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static OpenFiles.Config config(String root, String stateDirectory, int maxHandles) {
        Map<String, Object> values = Map.of("root", root, "stateDirectory", stateDirectory, "maxHandles", maxHandles);
        return (OpenFiles.Config) Proxy.newProxyInstance(OpenFiles.Config.class.getClassLoader(),
                new Class<?>[] {OpenFiles.Config.class}, (proxy, method, arguments) -> values.get(method.getName()));
    }
}
