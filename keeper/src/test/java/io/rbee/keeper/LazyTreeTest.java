package io.rbee.keeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.keeper.jobs.JobsCommand;
import io.rbee.keeper.queen.QueenCommand;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/** A command line builds the command it names only, and what it prints does not change. */
class LazyTreeTest {
  @Test
  void aNamedCommandIsTheOnlyOneBuilt() {
    assertThat(Subcommands.needed("status")).contains(List.of(StatusCommand.class));
    assertThat(Subcommands.needed("--json", "--queen-url", "http://x:1", "jobs", "list"))
        .contains(List.of(JobsCommand.class));
    assertThat(Subcommands.needed("--queen-url=http://x:1", "queen", "status"))
        .contains(List.of(QueenCommand.class));
    assertThat(Subcommands.needed("--version")).contains(List.of());
  }

  @Test
  void rootHelpNoCommandAndUnknownCommandsBuildTheWholeTree() {
    assertThat(Subcommands.needed()).isEmpty();
    assertThat(Subcommands.needed("--help", "status")).isEmpty();
    assertThat(Subcommands.needed("-V", "status")).isEmpty();
    assertThat(Subcommands.needed("stat")).isEmpty();
    assertThat(Subcommands.needed("--queen-url", "status")).isEmpty(); // "status" is the URL
  }

  @Test
  void everyTopLevelCommandIsInTheTreeInOrder() {
    CommandLine full = Rbee.commandLine(services());
    assertThat(full.getSubcommands().values().stream().<Class<?>>map(c -> c.getCommand().getClass()).toList())
        .containsExactlyElementsOf(Subcommands.ALL);
  }

  @Test
  void aCommandsHelpIsTheSameBuiltAloneOrInTheWholeTree() {
    for (String name : new String[] {"status", "jobs", "queen", "completion"}) {
      Cli.Result alone = new Cli().run(name, "--help");
      String inTree = Rbee.commandLine(services()).getSubcommands().get(name)
          .getUsageMessage(Ansi.OFF);
      assertThat(alone.out()).as(name).isEqualTo(inTree);
    }
  }

  @Test
  void aBareVersionPrintsWhatPicocliPrints() {
    java.io.StringWriter picocli = new java.io.StringWriter();
    Rbee.commandLine(services()).printVersionHelp(new java.io.PrintWriter(picocli, true));

    for (String flag : new String[] {"-V", "--version"}) {
      Cli.Result r = new Cli().run(flag);
      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).isEqualTo(picocli.toString()).startsWith("rbee ");
    }
  }

  @Test
  void unknownCommandStillSuggestsTheNearestOne() {
    Cli.Result r = new Cli().run("stauts");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Unmatched argument at index 0: 'stauts'").contains("status");
  }

  private static Services services() {
    return new Services(Map.of(), false, url -> {
      throw new IllegalStateException("no queen");
    }, null);
  }
}
