package io.rbee.keeper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.narration.Json;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each command line becomes exactly the operation JSON the queen is sent. */
class CommandOperationsTest {
  static Stream<Arguments> commandLines() {
    return Stream.of(
        Arguments.of("status", "{'Status':{}}"),
        Arguments.of("hive start", "{'HiveStart':{'hive_id':'localhost'}}"),
        Arguments.of("hive start --hive gpu1 --port 9100",
            "{'HiveStart':{'hive_id':'gpu1','port':9100}}"),
        Arguments.of("hive stop --hive gpu1", "{'HiveStop':{'hive_id':'gpu1'}}"),
        Arguments.of("hive status", "{'HiveStatus':{'hive_id':'localhost'}}"),
        Arguments.of("hive check --hive h2", "{'HiveCheck':{'hive_id':'h2'}}"),
        Arguments.of("hive list", "{'HiveList':{}}"),
        Arguments.of("hive install --hive blue",
            "{'HiveInstall':{'hive_id':'blue','accept_host_key':false}}"),
        Arguments.of("hive install --hive blue --accept-host-key",
            "{'HiveInstall':{'hive_id':'blue','accept_host_key':true}}"),
        Arguments.of("hive uninstall --hive blue --remove-models",
            "{'HiveUninstall':{'hive_id':'blue','remove_models':true}}"),
        Arguments.of("model download demo", "{'ModelDownload':{'hive_id':'localhost',"
            + "'model':'demo'}}"),
        Arguments.of("model download --hive gpu1 org/repo:file.gguf",
            "{'ModelDownload':{'hive_id':'gpu1','model':'org/repo:file.gguf'}}"),
        Arguments.of("model list --hive gpu1", "{'ModelList':{'hive_id':'gpu1'}}"),
        Arguments.of("model get demo", "{'ModelGet':{'hive_id':'localhost','model':'demo'}}"),
        Arguments.of("model delete demo",
            "{'ModelDelete':{'hive_id':'localhost','model':'demo'}}"),
        Arguments.of("worker spawn --model demo",
            "{'WorkerSpawn':{'hive_id':'localhost','model':'demo','device':'cpu'}}"),
        Arguments.of("worker spawn --model demo --device cuda:1 --hive gpu1",
            "{'WorkerSpawn':{'hive_id':'gpu1','model':'demo','device':'cuda:1'}}"),
        Arguments.of("worker list", "{'WorkerList':{'hive_id':'localhost'}}"),
        Arguments.of("worker get w-1", "{'WorkerGet':{'hive_id':'localhost','worker_id':'w-1'}}"),
        Arguments.of("worker kill --hive h2 w-1",
            "{'WorkerKill':{'hive_id':'h2','worker_id':'w-1'}}"),
        Arguments.of("infer --model demo Once upon a time",
            "{'Infer':{'model':'demo','prompt':'Once upon a time','max_tokens':128,"
                + "'temperature':0.8,'top_p':0.95,'top_k':40,'stop':[]}}"),
        Arguments.of("infer --model m --hive h --max-tokens 5 --temperature 0 --top-p 0.5 "
                + "--top-k 3 --seed 7 --stop END --stop STOP hi",
            "{'Infer':{'hive_id':'h','model':'m','prompt':'hi','max_tokens':5,"
                + "'temperature':0.0,'top_p':0.5,'top_k':3,'seed':7,'stop':['END','STOP']}}"),
        Arguments.of("jobs submit {\"HiveCheck\":{}}", "{'HiveCheck':{'hive_id':'localhost'}}"),
        Arguments.of("jobs submit {\"operation\":{\"ModelList\":{\"hive_id\":\"h9\"}}}",
            "{'ModelList':{'hive_id':'h9'}}"));
  }

  @ParameterizedTest(name = "rbee {0}")
  @MethodSource("commandLines")
  void commandLineBecomesThisOperation(String argv, String expected) throws Exception {
    FakeQueen queen = new FakeQueen();

    Cli.Result result = Cli.with(queen).run(argv.split(" "));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(queen.submitted).hasSize(1);
    JsonNode sent = Json.MAPPER.readTree(Json.write(queen.submitted.get(0)));
    assertThat(sent).isEqualTo(Json.MAPPER.readTree(expected.replace('\'', '"')));
  }
}
