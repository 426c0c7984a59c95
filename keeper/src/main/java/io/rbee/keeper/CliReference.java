package io.rbee.keeper;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * Writes the CLI reference ({@code docs/CLI.md}) from the commands' own {@code --help}, so the
 * document cannot drift from the program: every command, depth first, in declaration order.
 * {@code main(["docs/CLI.md"])} writes the file; without an argument it prints to stdout.
 */
public final class CliReference {
  private CliReference() {}

  public static void main(String[] args) throws IOException {
    String markdown = markdown();
    if (args.length > 0) {
      Path file = Path.of(args[0]);
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Files.writeString(file, markdown, StandardCharsets.UTF_8);
    } else {
      PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
      out.print(markdown);
      out.flush();
    }
  }

  /** The whole reference as Markdown. */
  public static String markdown() {
    CommandLine root = Rbee.commandLine(new Services(Map.of(), false, url -> {
      throw new IllegalStateException("the reference never calls a queen");
    }, null));
    StringBuilder md = new StringBuilder();
    md.append("# rbee command reference\n\n")
        .append("Generated from `rbee --help` by `io.rbee.keeper.CliReference`; do not edit by ")
        .append("hand.\n\n")
        .append("Options shown on every command (`--queen-url`, `--json`, `--no-color`, `-h`) ")
        .append("may be given before or after the command's name.\n");
    append(root, md);
    return md.toString();
  }

  private static void append(CommandLine command, StringBuilder md) {
    md.append("\n## `").append(command.getCommandSpec().qualifiedName()).append("`\n\n")
        .append("```text\n")
        .append(command.getUsageMessage(Ansi.OFF).stripTrailing())
        .append("\n```\n");
    for (CommandLine sub : command.getSubcommands().values()) {
      append(sub, md);
    }
  }
}
