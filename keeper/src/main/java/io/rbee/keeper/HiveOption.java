package io.rbee.keeper;

import picocli.CommandLine.Option;

/** {@code --hive ID}, mixed into every command that addresses one hive. */
public final class HiveOption {
  @Option(names = "--hive", paramLabel = "ID",
      description = "The hive to address (default: localhost).")
  String hive;

  /** The hive named, or null: the operation then applies its default, {@code localhost}. */
  public String hive() {
    return hive;
  }
}
