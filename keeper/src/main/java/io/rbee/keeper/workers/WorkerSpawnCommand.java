package io.rbee.keeper.workers;

import io.rbee.jobs.Operation;
import io.rbee.keeper.HiveOption;
import io.rbee.keeper.KeeperCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rbee worker spawn}: operation WorkerSpawn. */
@Command(name = "spawn",
    description = "Start a worker process that loads a model on a device, and wait until it "
        + "is ready (operation WorkerSpawn).")
public final class WorkerSpawnCommand extends KeeperCommand {
  @Mixin
  HiveOption hive;

  @Option(names = "--model", paramLabel = "M", required = true,
      description = "The model's id in the hive's catalog.")
  String model;

  @Option(names = "--device", paramLabel = "DEVICE",
      description = "cpu, or cuda:N for GPU N of rbee hive status (default: cpu); cuda:N "
          + "needs a CUDA build of llama.cpp, see docs/OPERATIONS.md#cuda.")
  String device;

  @Option(names = "--threads", paramLabel = "N",
      description = "CPU threads llama.cpp computes with, 1..256 (default: the hive's, "
          + "half its cores unless the hive was told otherwise).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    return runJob(new Operation.WorkerSpawn(hive.hive(), model, device, threads));
  }
}
