package io.rbee.jobs;

import java.util.List;

/**
 * The result of an {@code Embed} job: one vector per input, in input order, each
 * {@code dimensions} long (the model's embedding size); {@code tokens_in} is how many tokens
 * the inputs took together.
 */
public record Embeddings(String model, int dimensions, int tokensIn, List<float[]> vectors) {}
