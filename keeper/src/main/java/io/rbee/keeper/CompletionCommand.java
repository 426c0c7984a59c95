package io.rbee.keeper;

import io.rbee.jobs.ExitCode;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rbee completion bash|zsh}: prints the shell completion script picocli generates from
 * the whole command tree ({@link AutoComplete}). One script serves both shells: it turns on
 * bash's programmable completion, or zsh's bashcompinit, itself.
 */
@Command(name = "completion",
    description = {
      "Print a completion script for bash or zsh: commands, subcommands and options complete "
          + "on Tab.",
      "bash: add  source <(rbee completion bash)  to ~/.bashrc, or save it once:",
      "  rbee completion bash > ~/.local/share/bash-completion/completions/rbee",
      "zsh: add  source <(rbee completion zsh)  to ~/.zshrc (the script runs",
      "  autoload -U +X compinit && compinit; autoload -U +X bashcompinit && bashcompinit).",
      "rbee must be on PATH under that name (a link to ./rbee will do)."
    })
public final class CompletionCommand implements Callable<Integer> {
  /** The shells the script is for. */
  public enum Shell { bash, zsh }

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    Rbee root = (Rbee) spec.root().userObject();
    // the whole tree, whatever this command line built to run completion
    String script = AutoComplete.bash("rbee", Rbee.commandLine(root.services()));
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return ExitCode.OK.code();
  }
}
