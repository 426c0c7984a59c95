package io.rbee.queen.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Map;

/**
 * The JSON of one streamed answer's chunks, as OpenAI sends them: {@code chat.completion.chunk}
 * (a {@code delta} per piece of text) or {@code text_completion} (a {@code text} per piece).
 * What is the same in every chunk of an answer is encoded once; a chunk costs its text's
 * quoting. Fields OpenAI sends as {@code null} are sent as {@code null}, because clients read
 * them as present. Immutable.
 */
final class Chunks {
  private final boolean chat;
  private final String head;
  private final String usageTail;
  private final String idHead;

  /**
   * Chunks of answer {@code id} by {@code model}, created at {@code created} (epoch seconds);
   * {@code includeUsage} adds {@code "usage": null} to every chunk, as OpenAI does when the
   * final usage chunk was asked for.
   */
  Chunks(boolean chat, String id, String model, long created, boolean includeUsage) {
    this.chat = chat;
    this.idHead = "{\"id\":" + quote(id) + ",\"object\":"
        + (chat ? "\"chat.completion.chunk\"" : "\"text_completion\"") + ",\"created\":"
        + created + ",\"model\":" + quote(model) + ",\"system_fingerprint\":null,\"choices\":";
    this.head = idHead + "[{\"index\":0,";
    this.usageTail = includeUsage ? ",\"usage\":null}" : "}";
  }

  /** A chat's first chunk: the assistant's role, no text yet. */
  String role() {
    return head + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
        + "\"finish_reason\":null}]" + usageTail;
  }

  /** A piece of generated text. */
  String text(String text) {
    return chat
        ? head + "\"delta\":{\"content\":" + quote(text)
            + "},\"logprobs\":null,\"finish_reason\":null}]" + usageTail
        : head + "\"text\":" + quote(text) + ",\"logprobs\":null,\"finish_reason\":null}]"
            + usageTail;
  }

  /** The chunk that ends the choice with {@code finishReason} ({@code stop}, {@code length}). */
  String finish(String finishReason) {
    return chat
        ? head + "\"delta\":{},\"logprobs\":null,\"finish_reason\":" + quote(finishReason)
            + "}]" + usageTail
        : head + "\"text\":\"\",\"logprobs\":null,\"finish_reason\":" + quote(finishReason)
            + "}]" + usageTail;
  }

  /** The usage chunk sent last when {@code stream_options.include_usage} asked for it. */
  String usage(Map<String, Object> usage) {
    return idHead + "[],\"usage\":{\"prompt_tokens\":" + usage.get("prompt_tokens")
        + ",\"completion_tokens\":" + usage.get("completion_tokens") + ",\"total_tokens\":"
        + usage.get("total_tokens") + "}}";
  }

  static String quote(String s) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
  }
}
