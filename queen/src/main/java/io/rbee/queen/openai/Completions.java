package io.rbee.queen.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.server.JobServer;
import io.rbee.jobs.server.SseResponse;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code /v1/chat/completions} and {@code /v1/completions}: runs the request's
 * {@code Infer} as a queen job and answers with its text, whole ({@code chat.completion},
 * {@code text_completion}) or streamed as chunks ending with {@code data: [DONE]}.
 *
 * <p>A streamed answer starts at once (status 200 and {@code X-Rbee-Job-Id}, then the role
 * chunk), so a client sees the job id while a worker is still being placed or spawned; a job
 * that fails after that ends the stream with one {@code data: {"error": ...}} event and no
 * {@code [DONE]}. While no text comes a {@code : keep-alive} comment goes out every
 * {@link #KEEP_ALIVE}; a write that fails means the client went away, and cancels the job (the
 * worker stops generating within a token). A whole answer waits for the job's end, so its
 * failures get their HTTP status ({@link JobFailures}).
 */
final class Completions {
  /** How often a streamed answer that has nothing to say shows it is alive. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(Completions.class);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] COMMENT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

  private final JobServer jobs;

  Completions(JobServer jobs) {
    this.jobs = jobs;
  }

  void answer(Context ctx, Generation request) throws InterruptedException {
    try (FollowedJob job = FollowedJob.start(jobs, request.infer())) {
      ctx.header(Submitted.JOB_ID_HEADER, job.jobId());
      String id = (request.chat() ? "chatcmpl-" : "cmpl-") + job.jobId();
      long created = System.currentTimeMillis() / 1000;
      if (request.stream()) {
        stream(ctx, request, job, new Chunks(request.chat(), id, request.model(), created,
            request.includeUsage()));
      } else {
        whole(ctx, request, job, id, created);
      }
    }
  }

  private void whole(Context ctx, Generation request, FollowedJob job, String id,
      long created) throws InterruptedException {
    StringBuilder text = new StringBuilder();
    Done done = null;
    while (done == null) {
      JobEvent e = job.next(KEEP_ALIVE);
      if (e == null) {
        continue;
      }
      if (job.missedBeforeLast() > 0 || JobEvent.GAP.equals(e.event())) {
        job.cancel();
        throw lost(job);
      }
      switch (e.event()) {
        case JobEvent.TOKEN -> text.append(FollowedJob.text(e));
        case JobEvent.DONE -> done = FollowedJob.done(e);
        default -> { } // narration: on the job's own stream, not in the answer
      }
    }
    if (done.status() != JobStatus.SUCCEEDED) {
      throw JobFailures.of(done);
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("id", id);
    body.put("object", request.chat() ? "chat.completion" : "text_completion");
    body.put("created", created);
    body.put("model", request.model());
    body.putNull("system_fingerprint");
    ArrayNode choices = body.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    if (request.chat()) {
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      message.put("content", text.toString());
      message.putNull("refusal");
    } else {
      choice.put("text", text.toString());
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(done));
    body.set("usage", Json.MAPPER.valueToTree(usage(done)));
    ctx.contentType("application/json").result(Json.write(body));
  }

  private void stream(Context ctx, Generation request, FollowedJob job, Chunks chunks)
      throws InterruptedException {
    HttpServletResponse res = ctx.res();
    SseResponse.begin(res);
    try {
      ServletOutputStream out = res.getOutputStream();
      if (request.chat()) {
        data(out, chunks.role());
      }
      out.flush();
      while (true) {
        JobEvent e = job.next(Duration.ZERO);
        if (e == null) {
          out.flush(); // everything at hand is written: send it before waiting
          e = job.next(KEEP_ALIVE);
          if (e == null) {
            out.write(COMMENT);
            out.flush();
            continue;
          }
        }
        if (job.missedBeforeLast() > 0 || JobEvent.GAP.equals(e.event())) {
          job.cancel();
          data(out, Json.write(lost(job).body()));
          out.flush();
          return;
        }
        if (JobEvent.TOKEN.equals(e.event())) {
          data(out, chunks.text(FollowedJob.text(e)));
        } else if (JobEvent.DONE.equals(e.event())) {
          end(out, chunks, request, FollowedJob.done(e));
          out.flush();
          return;
        }
      }
    } catch (IOException e) {
      // the client went away: nobody reads this answer, so nobody needs its generation
      LOG.debug("OpenAI stream of job {} ended by the client: {}", job.jobId(), e.toString());
      job.cancel();
    }
  }

  private static void end(ServletOutputStream out, Chunks chunks, Generation request,
      Done done) throws IOException {
    if (done.status() != JobStatus.SUCCEEDED) {
      data(out, Json.write(JobFailures.body(done)));
      return;
    }
    data(out, chunks.finish(finishReason(done)));
    if (request.includeUsage()) {
      data(out, chunks.usage(usage(done)));
    }
    out.write(DONE);
  }

  private static void data(ServletOutputStream out, String json) throws IOException {
    out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  private static io.rbee.jobs.server.ApiException lost(FollowedJob job) {
    return new io.rbee.jobs.server.ApiException(500, "events_lost", "part of the answer of"
        + " job " + job.jobId() + " was lost before it could be sent (the job's history bound);"
        + " the job was cancelled, retry the request");
  }

  /** OpenAI's finish reason for the worker's stop reason: {@code length} or {@code stop}. */
  static String finishReason(Done done) {
    Object reason = done.stats() == null ? null : done.stats().get("stop_reason");
    return "max_tokens".equals(reason) ? "length" : "stop";
  }

  static Map<String, Object> usage(Done done) {
    long in = number(done, "tokens_in");
    long out = number(done, "tokens_out");
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("prompt_tokens", in);
    usage.put("completion_tokens", out);
    usage.put("total_tokens", in + out);
    return usage;
  }

  private static long number(Done done, String key) {
    Object v = done.stats() == null ? null : done.stats().get(key);
    return v instanceof Number n ? n.longValue() : 0;
  }
}
