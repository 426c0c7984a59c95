package io.rbee.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbee.narration.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operation contract exists once: the sealed hierarchy. Everything that lists operations
 * (the names, Jackson's subtypes, each daemon's accepted set, the table in docs/API.md) agrees
 * with it.
 */
class OperationContractTest {
  static final List<String> EXPECTED = List.of("Status", "QueenCheck", "HiveStart", "HiveStop",
      "HiveStatus", "HiveList", "HiveInstall", "HiveUninstall", "HiveCheck", "WorkerSpawn", "WorkerList", "WorkerGet",
      "WorkerKill", "ModelDownload", "ModelList", "ModelGet", "ModelDelete", "Infer", "Embed");

  @Test
  void namesAreTheSealedRecordsInPermitsOrder() {
    assertThat(Operation.NAMES).containsExactlyElementsOf(EXPECTED);
    assertThat(Operation.TYPES).allSatisfy(t -> {
      assertThat(t.isRecord()).as(t.getName()).isTrue();
      assertThat(t.getAnnotation(JsonTypeName.class).value()).isEqualTo(t.getSimpleName());
    });
  }

  @Test
  void jsonSubTypesListExactlyTheSealedRecords() {
    List<Class<?>> declared = Arrays.stream(Operation.class.getAnnotation(JsonSubTypes.class)
        .value()).<Class<?>>map(JsonSubTypes.Type::value).toList();

    assertThat(declared).containsExactlyElementsOf(Operation.TYPES);
  }

  @Test
  void eachDaemonAcceptsItsSubtypeAndTheQueenAcceptsAll() {
    assertThat(Daemon.QUEEN.operations()).isEqualTo(Operation.NAMES);
    assertThat(Daemon.HIVE.operations()).containsExactly("HiveCheck", "WorkerSpawn",
        "WorkerList", "WorkerGet", "WorkerKill", "ModelDownload", "ModelList", "ModelGet",
        "ModelDelete");
    assertThat(Daemon.WORKER.operations()).containsExactly("Infer", "Embed");
    for (String name : Operation.NAMES) {
      Operation op = Json.read("{\"" + name + "\": {}}", Operation.class);
      assertThat(op.name()).isEqualTo(name);
      for (Daemon d : Daemon.values()) {
        assertThat(d.accepts(op)).as("%s accepts %s", d, name)
            .isEqualTo(d.operations().contains(name));
      }
    }
  }

  @Test
  void wireFormatIsExternallyTaggedSnakeCase() {
    String json = Json.write(new Operation.WorkerSpawn(null, "m", null));

    assertThat(json)
        .isEqualTo("{\"WorkerSpawn\":{\"hive_id\":\"localhost\",\"model\":\"m\",\"device\":\"cpu\"}}");
    assertThat(Json.read("{\"WorkerGet\": {\"hive_id\": \"h\", \"worker_id\": \"w\"}}",
        Operation.class)).isEqualTo(new Operation.WorkerGet("h", "w"));
  }

  @Test
  void apiDocListsTheOperationsInNamesOrder() throws Exception {
    String api = Files.readString(Path.of("..", "docs", "API.md"));
    String table = api.substring(api.indexOf("| operation | fields | runs on | result |"));
    table = table.substring(0, table.indexOf("\n\n"));
    List<String> documented = new ArrayList<>();
    for (String row : table.split("\n")) {
      String first = row.split("\\|")[1];
      Matcher m = Pattern.compile("`(\\w+)`").matcher(first);
      while (m.find()) {
        documented.add(m.group(1));
      }
    }

    assertThat(documented).containsExactlyElementsOf(Operation.NAMES);
  }
}
