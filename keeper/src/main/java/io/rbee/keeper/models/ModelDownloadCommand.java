package io.rbee.keeper.models;

import io.rbee.jobs.Operation;
import io.rbee.keeper.HiveOption;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rbee model download}: operation ModelDownload. */
@Command(name = "download",
    description = "Download a model into a hive's catalog, with byte progress "
        + "(operation ModelDownload). Run it again to resume a download that broke or was "
        + "cancelled.")
public final class ModelDownloadCommand extends KeeperCommand {
  @Mixin
  HiveOption hive;

  @Parameters(paramLabel = "MODEL", description = "org/repo:file.gguf (Hugging Face), an "
      + "http(s) URL of a GGUF file, or demo (a generated tiny model).")
  String model;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.ModelDownload(hive.hive(), model));
  }
}
