package io.rbee.jobs;

/**
 * The data of an {@code event: token}: a piece of generated text, in generation order. One
 * event is one token, except for a follower that asks for merged tokens
 * ({@code ?merge_tokens=true}): tokens that were waiting for it together reach it as one event
 * with their texts joined.
 */
public record Token(String text) {
  /** The stream query parameter that asks for merged tokens: {@code merge_tokens=true}. */
  public static final String MERGE_PARAM = "merge_tokens";
}
