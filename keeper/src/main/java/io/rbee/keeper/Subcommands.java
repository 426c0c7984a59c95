package io.rbee.keeper;

import io.rbee.keeper.chat.ChatCommand;
import io.rbee.keeper.demo.DemoCommand;
import io.rbee.keeper.hives.HiveCommand;
import io.rbee.keeper.inference.InferCommand;
import io.rbee.keeper.jobs.JobsCommand;
import io.rbee.keeper.models.ModelCommand;
import io.rbee.keeper.queen.QueenCommand;
import io.rbee.keeper.workers.PsCommand;
import io.rbee.keeper.workers.WorkerCommand;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * The top-level {@code rbee} commands, in the order {@code rbee --help} lists them, and which
 * one a command line names. It exists for start-up time: picocli builds a command's model by
 * reflection over its classes, options and mixins, ~150 ms for the whole tree, so {@code rbee
 * status} builds the root and {@code status} only. The whole tree is built for the root's own
 * help and version, no command, an unknown one (its error suggests siblings), and the docs.
 */
final class Subcommands {
  /** Every top-level command class, in --help order. */
  static final List<Class<?>> ALL = List.of(
      QueenCommand.class,
      HiveCommand.class,
      StatusCommand.class,
      PsCommand.class,
      JobsCommand.class,
      ModelCommand.class,
      WorkerCommand.class,
      InferCommand.class,
      ChatCommand.class,
      DemoCommand.class,
      CompletionCommand.class);

  private Subcommands() {}

  /**
   * The top-level commands {@code args} need, when not all: none for a bare {@code --version};
   * else the one they name, when the root needs nothing else to run it: the
   * first argument that is not one of the root's options (nor {@code --queen-url}'s value),
   * when it is a command's name or alias and no {@code -h}/{@code -V} comes before it. Empty:
   * build the whole tree.
   */
  static Optional<List<Class<?>>> needed(String... args) {
    if (isBareVersion(args)) {
      return Optional.of(List.of()); // the root alone prints its version
    }
    return named(args).map(List::of);
  }

  /**
   * True for a bare {@code rbee -V} / {@code rbee --version}: {@code Rbee.run} prints the
   * version itself, the way picocli would, without building even the root's model (~130 ms).
   */
  static boolean isBareVersion(String... args) {
    return args.length == 1 && (args[0].equals("-V") || args[0].equals("--version"));
  }

  /** The one top-level command {@code args} name (see {@link #needed}), if any. */
  static Optional<Class<?>> named(String... args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--queen-url")) {
        i++; // its value
      } else if (arg.equals("--") || arg.equals("-h") || arg.equals("--help")
          || arg.equals("-V") || arg.equals("--version")) {
        return Optional.empty();
      } else if (!arg.startsWith("-")) {
        return ALL.stream().filter(c -> names(c).contains(arg)).findFirst();
      }
    }
    return Optional.empty();
  }

  private static List<String> names(Class<?> command) {
    Command c = command.getAnnotation(Command.class);
    return c == null ? List.of() : Stream.concat(Stream.of(c.name()), Stream.of(c.aliases()))
        .toList();
  }
}
