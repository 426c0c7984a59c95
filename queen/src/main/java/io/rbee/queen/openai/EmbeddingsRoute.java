package io.rbee.queen.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rbee.jobs.Done;
import io.rbee.jobs.Embeddings;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.server.ApiException;
import io.rbee.jobs.server.JobServer;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code POST /v1/embeddings}: {@code input} (a string or a list of strings) runs as one
 * {@code Embed} job; the answer is OpenAI's list of {@code embedding} objects, as floats or,
 * with {@code encoding_format: "base64"}, as little-endian float32 bytes in base64 (what the
 * official SDKs ask for by default). Token arrays as input and {@code dimensions} are refused:
 * rbee embeds text with the model's own embedding size.
 */
final class EmbeddingsRoute {
  private static final Set<String> FIELDS = Set.of("model", "input", "encoding_format",
      "dimensions", "user", "keep_alive");

  private final JobServer jobs;
  private final Consumer<String> requireModel;

  /** {@code requireModel} throws the 404 for a model no hive has. */
  EmbeddingsRoute(JobServer jobs, Consumer<String> requireModel) {
    this.jobs = jobs;
    this.requireModel = requireModel;
  }

  void answer(Context ctx) throws InterruptedException {
    RequestFields f = RequestFields.parse(ctx.body(), FIELDS);
    String model = f.requiredText("model");
    List<String> input = input(f.node("input"));
    String format = f.text("encoding_format");
    if (format != null && !format.equals("float") && !format.equals("base64")) {
      throw RequestFields.refuse("encoding_format",
          "encoding_format must be \"float\" or \"base64\", got \"" + format + "\"");
    }
    f.onlyNeutral("dimensions", "rbee answers with the model's own embedding size");
    f.text("user");
    Operation.Embed op = new Operation.Embed(null, model, input, f.keepAlive("keep_alive"));
    try {
      op.validate();
    } catch (RuntimeException e) {
      throw RequestFields.refuse(e.getMessage().startsWith("keep_alive") ? "keep_alive"
          : "input", e.getMessage());
    }
    requireModel.accept(model);
    Embeddings result = null;
    Done done = null;
    try (FollowedJob job = FollowedJob.start(jobs, op)) {
      ctx.header(Submitted.JOB_ID_HEADER, job.jobId());
      while (done == null) {
        JobEvent e = job.next(Completions.KEEP_ALIVE);
        if (e == null) {
          continue;
        }
        if (JobEvent.RESULT.equals(e.event())) {
          result = Json.read(e.data(), Embeddings.class);
        } else if (JobEvent.DONE.equals(e.event())) {
          done = FollowedJob.done(e);
        }
      }
    }
    if (done.status() != JobStatus.SUCCEEDED) {
      throw JobFailures.of(done);
    }
    if (result == null) {
      throw new ApiException(500, "internal", "job " + done.jobId() + " completed without"
          + " its embeddings");
    }
    ctx.contentType("application/json").result(Json.write(body(model, result,
        "base64".equals(format))));
  }

  private static ObjectNode body(String model, Embeddings result, boolean base64) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    for (int i = 0; i < result.vectors().size(); i++) {
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      float[] v = result.vectors().get(i);
      if (base64) {
        ByteBuffer bytes = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
      } else {
        ArrayNode values = item.putArray("embedding");
        for (float x : v) {
          values.add(x);
        }
      }
    }
    body.put("model", model);
    ObjectNode usage = body.putObject("usage");
    usage.put("prompt_tokens", result.tokensIn());
    usage.put("total_tokens", result.tokensIn());
    return body;
  }

  private static List<String> input(JsonNode n) {
    if (n == null) {
      throw RequestFields.refuse("input", "input is required: a string or a list of strings");
    }
    List<String> out = new ArrayList<>();
    if (n.isTextual()) {
      out.add(n.asText());
      return out;
    }
    if (n.isArray()) {
      for (JsonNode e : n) {
        if (!e.isTextual()) {
          throw RequestFields.refuse("input", "input must be a string or a list of strings"
              + " (token arrays are not supported), got a list holding "
              + RequestFields.kind(e));
        }
        out.add(e.asText());
      }
      return out;
    }
    throw RequestFields.refuse("input", "input must be a string or a list of strings, got "
        + RequestFields.kind(n));
  }
}
