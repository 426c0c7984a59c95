package io.rbee.keeper.queen;

import picocli.CommandLine.Command;

/** {@code rbee queen}: the queen daemon on this machine. */
@Command(name = "queen",
    description = "Start, stop and inspect the queen (the daemon every command talks to).",
    subcommands = {QueenStartCommand.class, QueenStopCommand.class, QueenStatusCommand.class})
public final class QueenCommand {}
