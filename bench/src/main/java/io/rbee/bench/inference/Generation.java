package io.rbee.bench.inference;

/**
 * The timing of one generation, in {@link System#nanoTime()} of the measuring JVM:
 * {@code start} (the call to llama.cpp, or the {@code POST /v1/jobs}), the first and last
 * token, and {@code end} (the last token, or the job's {@code done}). {@code tokens} is the
 * number of generated tokens (the worker's {@code tokens_out}); {@code text} what was generated.
 * Through a queen, {@code routedMs} and {@code workerStartMs} are when (after start) the queen
 * narrated {@code infer_route} and the worker {@code infer_start}, by their timestamps; NaN
 * for llama.cpp direct. {@code firstTokens} is how many tokens arrived with the first
 * {@code token} event (a follower that asks for merged tokens may get several at once; always
 * 1 direct).
 */
public record Generation(int tokens, long start, long firstToken, long lastToken, long end,
    String text, double routedMs, double workerStartMs, int firstTokens) {

  /** A generation without queen milestones (llama.cpp direct): one token at a time. */
  public Generation(int tokens, long start, long firstToken, long lastToken, long end,
      String text) {
    this(tokens, start, firstToken, lastToken, end, text, Double.NaN, Double.NaN, 1);
  }

  /**
   * Tokens per second from the first token to the last: the tokens that came after the first
   * event, over the time from it to the last.
   */
  public double streamRate() {
    int after = tokens - firstTokens;
    return after < 1 ? Double.NaN : after / ((lastToken - firstToken) / 1e9);
  }

  /** Tokens per second from {@code start} to {@code end} (prompt, overheads, all). */
  public double wholeRate() {
    return tokens / ((end - start) / 1e9);
  }

  /** Milliseconds from {@code start} to the first token. */
  public double firstTokenMs() {
    return (firstToken - start) / 1e6;
  }
}
