package io.rbee.keeper.jobs;

import picocli.CommandLine.Command;

/** {@code rbee jobs}: any operation as a job, and jobs by id. */
@Command(name = "jobs",
    description = "Submit any operation as a job; follow, inspect or cancel a job by id.",
    subcommands = {
      JobsSubmitCommand.class,
      JobsFollowCommand.class,
      JobsStatusCommand.class,
      JobsCancelCommand.class,
    })
public final class JobsCommand {}
