package io.rbee.keeper.queen;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.client.JobClientException.Kind;
import io.rbee.narration.Json;
import io.rbee.narration.sse.SseEvent;
import io.rbee.narration.sse.SseParser;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Response;

/**
 * A {@link ChatCall} over OkHttp: reads the queen's {@code chat.completion.chunk} stream (a
 * role chunk, content deltas, the finish chunk, the usage chunk, {@code data: [DONE]};
 * {@code : keep-alive} comments while it waits; {@code data: {"error": ...}} when the job fails
 * mid-answer). Cancelling cancels the OkHttp call, which closes the connection.
 */
final class HttpChatCall implements ChatCall {
  /** Turns a refusal (status, body) into the exception the keeper prints. */
  interface Refusal {
    JobClientException of(int status, String body);
  }

  private final Call call;
  private final String who;
  private final Refusal refusal;

  HttpChatCall(Call call, String who, Refusal refusal) {
    this.call = call;
    this.who = who;
    this.refusal = refusal;
  }

  @Override
  public ChatAnswer execute(ChatListener listener) throws JobClientException {
    StringBuilder text = new StringBuilder();
    String jobId = null;
    try (Response response = call.execute()) {
      if (response.code() != 200) {
        throw refusal.of(response.code(), response.body().string());
      }
      String type = response.header("Content-Type", "");
      if (!type.startsWith("text/event-stream")) {
        throw new JobClientException(Kind.PROTOCOL, 200, null, who + " answered a streamed"
            + " chat with \"" + type + "\", not text/event-stream", null);
      }
      jobId = response.header(Submitted.JOB_ID_HEADER);
      listener.started(jobId);
      SseParser parser = new SseParser(response.body().byteStream());
      String finish = null;
      Long in = null;
      Long out = null;
      for (SseEvent e = parser.next(); e != null; e = parser.next()) {
        if ("[DONE]".equals(e.data())) {
          return new ChatAnswer(jobId, text.toString(), finish, in, out, false);
        }
        JsonNode chunk = parse(e.data(), jobId);
        JsonNode error = chunk.get("error");
        if (error != null && error.isObject()) {
          throw new JobClientException(Kind.REJECTED, 0, error.path("code").asText(null),
              "failed on " + who + ": " + error.path("message").asText("the job failed"), null);
        }
        JsonNode choice = chunk.path("choices").path(0);
        String piece = choice.path("delta").path("content").asText("");
        if (!piece.isEmpty()) {
          text.append(piece);
          listener.text(piece);
        }
        if (choice.path("finish_reason").isTextual()) {
          finish = choice.get("finish_reason").asText();
        }
        JsonNode usage = chunk.get("usage");
        if (usage != null && usage.isObject()) {
          in = usage.path("prompt_tokens").asLong();
          out = usage.path("completion_tokens").asLong();
        }
      }
      if (call.isCanceled()) {
        return stopped(jobId, text);
      }
      throw new JobClientException(Kind.STREAM_BROKEN, 200, null, "the answer" + of(jobId)
          + " from " + who + " ended before data: [DONE]", null);
    } catch (IOException e) {
      if (call.isCanceled()) {
        return stopped(jobId, text);
      }
      Kind kind = jobId == null ? Kind.UNREACHABLE : Kind.STREAM_BROKEN;
      String what = jobId == null ? who + " is not reachable" : "the answer" + of(jobId)
          + " from " + who + " broke";
      throw new JobClientException(kind, 0, null, what + " (" + reason(e) + ")", e);
    }
  }

  @Override
  public void cancel() {
    call.cancel();
  }

  private static ChatAnswer stopped(String jobId, StringBuilder text) {
    return new ChatAnswer(jobId, text.toString(), null, null, null, true);
  }

  private JsonNode parse(String data, String jobId) throws JobClientException {
    try {
      return Json.MAPPER.readTree(data);
    } catch (IOException e) {
      throw new JobClientException(Kind.PROTOCOL, 200, null, who + " sent a chunk" + of(jobId)
          + " that is not JSON: " + (data.length() > 200 ? data.substring(0, 200) + "..."
          : data), e);
    }
  }

  private static String of(String jobId) {
    return jobId == null ? "" : " of job " + jobId;
  }

  private static String reason(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.SocketTimeoutException) {
      return "timed out";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName()
        : m.lines().findFirst().orElse(m);
  }
}
