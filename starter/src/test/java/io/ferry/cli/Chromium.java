package io.ferry.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium opening a local page, as a reader's browser would: offline, with a
 * fresh profile, nothing fetched in the background.
 */
final class Chromium {

  static final Path BINARY = Path.of("/usr/bin/chromium");

  private Chromium() {}

  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** The page's DOM after Chromium has parsed and laid it out. */
  static String dumpDom(Path page, Path scratch) throws IOException, InterruptedException {
    Path out = scratch.resolve("dom.html");
    run(scratch, out, List.of("--dump-dom", page.toUri().toString()));
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /** A PNG of the page's first {@code height} pixels at 1280 wide. */
  static Path screenshot(Path page, Path scratch, int height)
      throws IOException, InterruptedException {
    Path png = scratch.resolve("page.png");
    run(
        scratch,
        scratch.resolve("screenshot.log"),
        List.of("--window-size=1280," + height, "--screenshot=" + png, page.toUri().toString()));
    return png;
  }

  private static void run(Path scratch, Path output, List<String> args)
      throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(scratch, "chromium-profile");
    List<String> command =
        new ArrayList<>(
            List.of(
                BINARY.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile));
    command.addAll(args);
    Process chromium =
        new ProcessBuilder(command)
            .redirectOutput(output.toFile())
            .redirectError(scratch.resolve("chromium.err").toFile())
            .start();
    if (!chromium.waitFor(2, TimeUnit.MINUTES)) {
      chromium.destroyForcibly();
      throw new IllegalStateException("chromium did not finish; see " + scratch);
    }
    if (chromium.exitValue() != 0) {
      throw new IllegalStateException(
          "chromium exited "
              + chromium.exitValue()
              + ": "
              + Files.readString(scratch.resolve("chromium.err"), StandardCharsets.UTF_8));
    }
  }
}
