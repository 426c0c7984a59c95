package io.rbee.bench.inference;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Token;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToIntFunction;

/**
 * One {@code Infer} through a queen (or on a worker directly), timed by its follower: start is
 * the {@code POST /v1/jobs} that submits the job and answers its stream,
 * first and last token are the arrivals of the first and last {@code token} events, end is the
 * arrival of {@code done}. The token count is the worker's {@code tokens_out}; the first event
 * may carry several (merged) tokens, which the stream rate leaves out. The queen's
 * {@code infer_route} and the worker's {@code infer_start} narrations give two milestones on
 * the way to the first token.
 */
public final class QueenInference {
  private QueenInference() {}

  /** {@link #run(JobClient, Operation.Infer, ToIntFunction)} counting one token per event. */
  public static Generation run(JobClient queen, Operation.Infer req) throws Exception {
    return run(queen, req, text -> 1);
  }

  /**
   * Runs {@code req} on {@code queen}; throws {@link IllegalStateException} unless it
   * succeeds. {@code tokensIn} tells how many tokens the first token event's text holds (the
   * follower asks for merged tokens, as {@code rbee infer} does, so it may be several).
   */
  public static Generation run(JobClient queen, Operation.Infer req,
      ToIntFunction<String> tokensIn) throws Exception {
    StringBuilder text = new StringBuilder();
    String[] firstText = {null};
    long[] first = {0};
    long[] last = {0};
    Instant[] routed = {null};
    Instant[] workerStart = {null};
    Instant startWall = Instant.now();
    long start = System.nanoTime();
    // submitted and followed in one request, asking for merged tokens as `rbee infer` does:
    // tokens that wait for the follower together come as one
    Done done = queen.withMergedTokens().run(req, e -> {
      if (JobEvent.TOKEN.equals(e.event())) {
        long now = System.nanoTime();
        String piece = Json.read(e.data(), Token.class).text();
        if (first[0] == 0) {
          first[0] = now;
          firstText[0] = piece;
        }
        last[0] = now;
        text.append(piece);
      } else if (JobEvent.NARRATION.equals(e.event())
          && (e.data().contains("\"infer_route\"") || e.data().contains("\"infer_start\""))) {
        Narration n = Json.read(e.data(), Narration.class);
        Instant at = Instant.parse(n.timestamp());
        if ("infer_route".equals(n.action())) {
          routed[0] = at;
        } else if ("infer_start".equals(n.action())) {
          workerStart[0] = at;
        }
      }
    });
    long end = System.nanoTime();
    if (done.status() != JobStatus.SUCCEEDED) {
      throw new IllegalStateException("Infer on " + queen.baseUrl() + " ended " + done.status()
          + ": " + done.error());
    }
    Object out = done.stats() == null ? null : done.stats().get("tokens_out");
    if (!(out instanceof Number tokens) || first[0] == 0) {
      throw new IllegalStateException("Infer on " + queen.baseUrl() + " streamed no tokens"
          + " (stats " + done.stats() + ")");
    }
    return new Generation(tokens.intValue(), start, first[0], last[0], end, text.toString(),
        msAfter(startWall, routed[0]), msAfter(startWall, workerStart[0]),
        tokensIn.applyAsInt(firstText[0]));
  }

  private static double msAfter(Instant start, Instant at) {
    return at == null ? Double.NaN : Duration.between(start, at).toNanos() / 1e6;
  }
}
