package io.rbee.keeper.models;

import picocli.CommandLine.Command;

/** {@code rbee model}: the models in a hive's catalog. */
@Command(name = "model",
    description = "Download, list, show and delete the models of a hive.",
    subcommands = {
      ModelDownloadCommand.class,
      ModelListCommand.class,
      ModelGetCommand.class,
      ModelDeleteCommand.class,
    })
public final class ModelCommand {}
