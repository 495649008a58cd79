package io.ferry.cli;

import picocli.CommandLine.Option;

/** The {@code -o/--output} option: text for people, json for scripts. */
final class Output {
  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      description = "text or json (default ${DEFAULT-VALUE}).")
  Json.Format format;

  boolean json() {
    return format == Json.Format.json;
  }
}
