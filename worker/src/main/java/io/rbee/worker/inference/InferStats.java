package io.rbee.worker.inference;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Figures of one generation. {@code tokensIn} counts the prompt (with the start token),
 * {@code tokensOut} the generated tokens, {@code durationMs} runs from the request to the last
 * token. {@code stopReason} is one of {@code "max_tokens"} (the limit, or the context, was
 * reached), {@code "eos"} (the model ended), {@code "stop"} (a stop string appeared) or
 * {@code "cancelled"}.
 */
public record InferStats(int tokensIn, int tokensOut, long durationMs, double tokensPerSecond,
    String stopReason) {
  public static final String MAX_TOKENS = "max_tokens";
  public static final String EOS = "eos";
  public static final String STOP = "stop";
  public static final String CANCELLED = "cancelled";

  /** The stats as the job's {@code done.stats}: snake_case keys, in declaration order. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tokens_in", tokensIn);
    m.put("tokens_out", tokensOut);
    m.put("duration_ms", durationMs);
    m.put("tokens_per_second", tokensPerSecond);
    m.put("stop_reason", stopReason);
    return m;
  }
}
