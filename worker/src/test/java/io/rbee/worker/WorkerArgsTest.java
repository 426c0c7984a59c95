package io.rbee.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.jobs.KeepAlive;
import io.rbee.jobs.limits.LlamaThreads;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

class WorkerArgsTest {
  @Test
  void defaultsFillWhatWasNotGiven() {
    WorkerArgs a = WorkerArgs.parse("--model", "/m/demo.gguf", "--port", "9301");

    assertThat(a.model()).isEqualTo(Path.of("/m/demo.gguf"));
    assertThat(a.port()).isEqualTo(9301);
    assertThat(a.bind()).isEqualTo("127.0.0.1");
    assertThat(a.device()).isEqualTo("cpu");
    assertThat(a.workerId()).isEqualTo("worker-9301");
    assertThat(a.modelId()).isEqualTo("demo.gguf");
    assertThat(a.llamaLib()).isNull();
    assertThat(a.threads()).isEqualTo(LlamaThreads.machineDefault()).isPositive();
    assertThat(a.nativeDir()).isNull();
    assertThat(a.keepAlive()).isEqualTo(KeepAlive.DEFAULT);
    assertThat(a.watchStdin()).isFalse();
  }

  @Test
  void everyOptionIsRead() {
    WorkerArgs a = WorkerArgs.parse("--model=/m/x.gguf", "--port", "0", "--bind", "0.0.0.0",
        "--device", "cuda:1", "--worker-id", "w7", "--model-id", "org/x", "--llama-lib", "/l",
        "--threads=3", "--watch-stdin", "--native-dir", "/n/w7", "--keep-alive", "-1");

    assertThat(a).isEqualTo(new WorkerArgs(Path.of("/m/x.gguf"), 0, "0.0.0.0", "cuda:1", "w7",
        "org/x", Path.of("/l"), 3, Path.of("/n/w7"), KeepAlive.FOREVER, true));
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> WorkerArgs.parse("--port", "1"))
        .isInstanceOf(ParameterException.class)
        .hasMessage("Missing required option: '--model=PATH'");
    assertThatThrownBy(() -> WorkerArgs.parse("--model", "m", "--port", "x"))
        .hasMessage("Invalid value for option '--port': 'x' is not an int");
    assertThatThrownBy(() -> WorkerArgs.parse("--model", "m", "--port", "70000"))
        .hasMessage("--port must be 0..65535, got 70000");
    assertThatThrownBy(() -> WorkerArgs.parse("--model", "m", "--port", "1", "--device", "gpu"))
        .hasMessage("--device must be \"cpu\" or \"cuda:N\" (N = GPU index), got \"gpu\"");
    assertThatThrownBy(() -> WorkerArgs.parse("--model", "m", "--port", "1", "--modle", "x"))
        .isInstanceOf(ParameterException.class).hasMessageContaining("'--modle'");
    assertThatThrownBy(() -> WorkerArgs.parse("--model"))
        .hasMessageContaining("Missing required parameter for option '--model'");
    assertThatThrownBy(() -> WorkerArgs.parse("--model", "m", "--port", "1", "--threads", "0"))
        .hasMessage("--threads must be 1..256, got 0");
    assertThatThrownBy(() -> WorkerArgs.parse("--model", "m", "--port", "1", "--threads", "2.5"))
        .hasMessage("Invalid value for option '--threads': '2.5' is not an int");
    assertThatThrownBy(() -> WorkerArgs.parse("--model", "m", "--port", "1", "--keep-alive",
        "soon"))
        .hasMessageStartingWith("--keep-alive must be a duration")
        .hasMessageEndingWith("got \"soon\"");
  }
}
