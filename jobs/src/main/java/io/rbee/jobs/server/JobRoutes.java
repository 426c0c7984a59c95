package io.rbee.jobs.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.javalin.http.Context;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.StreamKeepAlive;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.Token;
import io.rbee.narration.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.stream.Collectors;

/**
 * The HTTP side of {@link JobServer}: parses and checks requests, calls the server, writes
 * the answer. Refusals are thrown as {@link ApiException} for {@link HttpErrors} to write.
 */
final class JobRoutes {
  private static final String SHAPE = "{\"operation\": {\"<Name>\": {...}}}";

  private final JobServer server;
  private final JobStreamer streamer;

  JobRoutes(JobServer server) {
    this.server = server;
    this.streamer = new JobStreamer(server.options().keepAlive(),
        server.options().tokenInterval(), server.metrics(),
        new FollowerWatch(server.options().followerLimits(), server.timers(), server.metrics()));
  }

  /**
   * {@code POST /v1/jobs}: starts the job and answers its id, or, when the request accepts
   * {@code text/event-stream}, answers the job's stream from its first event (the id in
   * {@link Submitted#JOB_ID_HEADER}), which saves a follower the second request. The stream's
   * parameters ({@code keepalive_ms}, {@code merge_tokens}) are checked before the job starts.
   */
  void submit(Context ctx) {
    Operation op = parseOperation(ctx.body());
    if (!acceptsEventStream(ctx)) {
      ctx.json(server.submit(op));
      return;
    }
    Duration keepAlive = keepAlive(ctx);
    boolean merge = mergeTokens(ctx);
    Submitted submitted = server.submit(op);
    ctx.header(Submitted.JOB_ID_HEADER, submitted.jobId());
    stream(ctx, submitted.jobId(), 0, keepAlive, merge);
  }

  private static boolean acceptsEventStream(Context ctx) {
    String accept = ctx.header("Accept");
    return accept != null && accept.contains("text/event-stream");
  }

  void list(Context ctx) {
    ctx.json(server.list(JobFilter.parse(ctx.queryParam("status"), ctx.queryParam("operation"),
        ctx.queryParam("since"), ctx.queryParam("limit"), Instant.now())));
  }

  void info(Context ctx) {
    String id = ctx.pathParam("id");
    ctx.json(server.info(id).orElseThrow(() -> notFound(id)));
  }

  void cancel(Context ctx) throws InterruptedException {
    String id = ctx.pathParam("id");
    Job job = server.job(id).orElse(null);
    if (job == null) { // finished, known from the history only: nothing to cancel
      ctx.json(server.stored(id).orElseThrow(() -> notFound(id)));
      return;
    }
    server.cancel(job, "cancelled by request");
    // give the operation a moment to stop so the answer usually shows the final state
    job.awaitEnd(2_000);
    ctx.json(job.info());
  }

  void stream(Context ctx) {
    String id = ctx.pathParam("id");
    long after = afterId(ctx);
    Duration keepAlive = keepAlive(ctx);
    boolean merge = mergeTokens(ctx); // checked for a stored job too; it replays unmerged
    stream(ctx, id, after, keepAlive, merge);
  }

  private void stream(Context ctx, String id, long after, Duration keepAlive, boolean merge) {
    Job job = server.job(id).orElse(null);
    if (job != null) {
      streamer.stream(ctx, job.channel(), after, keepAlive, merge);
      return;
    }
    JobInfo stored = server.stored(id).orElseThrow(() -> notFound(id));
    StoredStream.write(ctx, stored, server.options().archive(), after);
  }

  private Job job(Context ctx) {
    String id = ctx.pathParam("id");
    return server.job(id).orElseThrow(() -> notFound(id));
  }

  private ApiException notFound(String id) {
    return ApiException.notFound("job_not_found",
        "no job \"" + id + "\" on " + server.options().daemon()
            + " (unknown, or finished long enough ago to be forgotten)");
  }

  /**
   * Where a follower resumes: {@code Last-Event-ID} wins over {@code ?after=}; 0 = start. Past
   * the end of a running job is refused by the streamer (400), past the end of a finished one
   * gets its {@code done} again.
   */
  private static long afterId(Context ctx) {
    String header = ctx.header("Last-Event-ID");
    String value = header != null && !header.isBlank() ? header : ctx.queryParam("after");
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      long id = Long.parseLong(value.trim());
      if (id >= 0) {
        return id;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw ApiException.badRequest("invalid_event_id",
        "Last-Event-ID / after must be an event id >= 0, got \"" + value + "\"");
  }

  /**
   * The stream's keep-alive interval: the daemon's own, or faster when the follower asks
   * ({@code ?keepalive_ms=}, within {@link StreamKeepAlive}'s bounds) to notice silence sooner.
   * Slower is never granted: the daemon's interval is also how it notices a follower that left.
   */
  private Duration keepAlive(Context ctx) {
    Duration own = server.options().keepAlive();
    String value = ctx.queryParam(StreamKeepAlive.PARAM);
    if (value == null || value.isBlank()) {
      return own;
    }
    try {
      Duration asked = StreamKeepAlive.check(Duration.ofMillis(Long.parseLong(value.trim())));
      return asked.compareTo(own) < 0 ? asked : own;
    } catch (IllegalArgumentException e) { // NumberFormatException included
      throw ApiException.badRequest("invalid_keepalive", StreamKeepAlive.PARAM + " must be "
          + StreamKeepAlive.MIN.toMillis() + ".." + StreamKeepAlive.MAX.toMillis()
          + " (milliseconds), got \"" + value + "\"");
    }
  }

  /** {@code ?merge_tokens=true|false} (default false): see {@link Token#MERGE_PARAM}. */
  private static boolean mergeTokens(Context ctx) {
    String value = ctx.queryParam(Token.MERGE_PARAM);
    if (value == null || value.isBlank() || value.trim().equals("false")) {
      return false;
    }
    if (value.trim().equals("true")) {
      return true;
    }
    throw ApiException.badRequest("invalid_merge_tokens",
        Token.MERGE_PARAM + " must be true or false, got \"" + value + "\"");
  }

  Operation parseOperation(String body) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("invalid_json", "request body is not JSON: " + reason(e));
    }
    JsonNode wrapper = root == null ? null : root.get("operation");
    if (wrapper == null || !wrapper.isObject() || wrapper.size() != 1) {
      throw new ApiException(400, "invalid_request", "request body must be " + SHAPE
          + " with exactly one operation name", server.options().operationsInOrder());
    }
    Iterator<String> names = wrapper.fieldNames();
    String name = names.next();
    if (!server.options().operations().contains(name)) {
      throw server.unknownOperation(name);
    }
    JsonNode fields = wrapper.get(name);
    if (fields.isNull()) {
      wrapper = Json.MAPPER.createObjectNode().set(name, Json.MAPPER.createObjectNode());
    } else if (!fields.isObject()) {
      throw ApiException.badRequest("invalid_operation",
          name + " must be a JSON object of its fields, got " + fields.getNodeType());
    }
    try {
      return Json.MAPPER.treeToValue(wrapper, Operation.class);
    } catch (MismatchedInputException e) {
      // strict types (Json.MAPPER): say what the field takes and what it got, in JSON terms
      String expected = expectedType(e.getTargetType());
      JsonNode got = valueAt(wrapper.get(name), e);
      if (expected != null && got != null) {
        throw ApiException.badRequest("invalid_operation", name + ": " + fieldPath(e)
            + "must be " + expected + ", got " + abbreviate(got.toString()));
      }
      throw ApiException.badRequest("invalid_operation", name + ": " + fieldPath(e) + reason(e));
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("invalid_operation", name + ": " + fieldPath(e) + reason(e));
    }
  }

  /** What a field of {@code type} takes, in the words of JSON; null for other types. */
  private static String expectedType(Class<?> type) {
    if (type == null) {
      return null;
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class
        || type == Short.class || type == short.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class || type == Float.class
        || type == float.class) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return null;
  }

  /** The JSON value the failure's path points at, below the operation's fields. */
  private static JsonNode valueAt(JsonNode fields, JsonMappingException e) {
    JsonNode node = fields;
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFrom() == Operation.class) {
        continue;
      }
      if (node == null) {
        return null;
      }
      node = r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
    }
    return node == fields ? null : node;
  }

  private static String abbreviate(String json) {
    return json.length() <= 80 ? json : json.substring(0, 80) + "...";
  }

  private static String fieldPath(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
      return "";
    }
    String path = m.getPath().stream()
        .filter(r -> r.getFrom() != Operation.class) // the wrapper level: the name, said already
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining()).replaceFirst("^\\.", "");
    return path.isEmpty() ? "" : "field " + path + ": ";
  }

  /** The parser's reason in one line, with the position when it has one; no stack, no class. */
  private static String reason(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    m = m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      m += " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")";
    }
    return m;
  }
}
