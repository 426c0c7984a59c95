package io.rbee.queen.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.server.ApiException;
import io.rbee.narration.Json;
import io.rbee.queen.hives.LiveHives;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: what the cluster can serve now, read
 * from the live registry (the models in the catalogs of hives that send fresh heartbeats),
 * each model once with the hives that have it ({@code rbee.hives}, an extension). Asks no hive.
 */
final class ModelsRoute {
  private final LiveHives live;

  ModelsRoute(LiveHives live) {
    this.live = live;
  }

  void list(Context ctx) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    servable().forEach((id, hives) -> data.add(model(id, hives)));
    ctx.contentType("application/json").result(Json.write(body));
  }

  void get(Context ctx) {
    String id = ctx.pathParam("id");
    Map<String, Served> all = servable();
    Served s = all.get(id);
    if (s == null) {
      throw notFound(id, all);
    }
    ctx.contentType("application/json").result(Json.write(model(id, s)));
  }

  /**
   * Throws the 404 {@code model_not_found} for a model no fresh hive has, so a request for it
   * fails before any job starts. With no fresh hive at all it passes: the job then fails with
   * the scheduler's own reason ({@code no_hive}, 503).
   */
  void require(String id) {
    if (live.all().stream().noneMatch(e -> !e.stale())) {
      return;
    }
    Map<String, Served> all = servable();
    if (!all.containsKey(id)) {
      throw notFound(id, all);
    }
  }

  private static ApiException notFound(String id, Map<String, Served> servable) {
    return new ApiException(404, "model_not_found", "The model `" + id + "` does not exist in"
        + " this cluster: no hive has it (models: " + (servable.isEmpty() ? "none"
            : String.join(", ", servable.keySet())) + "); `rbee model download " + id
        + "` puts it on a hive").param("model");
  }

  private record Served(List<String> hives, long created) {}

  private Map<String, Served> servable() {
    Map<String, Served> out = new TreeMap<>();
    for (LiveHives.Entry e : live.all()) {
      if (e.stale()) {
        continue;
      }
      for (ModelInfo m : e.beat().models()) {
        Served s = out.computeIfAbsent(m.id(), k -> new Served(new ArrayList<>(),
            created(m.addedAt())));
        s.hives().add(e.hiveId());
      }
    }
    return out;
  }

  private static ObjectNode model(String id, Served s) {
    ObjectNode m = Json.MAPPER.createObjectNode();
    m.put("id", id);
    m.put("object", "model");
    m.put("created", s.created());
    m.put("owned_by", "rbee");
    ArrayNode hives = m.putObject("rbee").putArray("hives");
    s.hives().stream().sorted().forEach(hives::add);
    return m;
  }

  private static long created(String addedAt) {
    try {
      return addedAt == null ? 0 : Instant.parse(addedAt).getEpochSecond();
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
