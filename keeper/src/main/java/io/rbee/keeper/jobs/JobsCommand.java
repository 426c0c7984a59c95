package io.rbee.keeper.jobs;

import picocli.CommandLine.Command;

/** {@code rbee jobs}: the queen's jobs, any operation as a job, and jobs by id. */
@Command(name = "jobs",
    description = "List jobs; submit any operation as a job; follow, replay, inspect or cancel a"
        + " job by id.",
    subcommands = {
      JobsListCommand.class,
      JobsSubmitCommand.class,
      JobsFollowCommand.class,
      JobsLogsCommand.class,
      JobsStatusCommand.class,
      JobsCancelCommand.class,
    })
public final class JobsCommand {}
