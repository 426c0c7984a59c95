package io.rbee.keeper.queen;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbee.jobs.ChatMessage;
import io.rbee.narration.Json;
import java.util.List;

/**
 * One turn of a chat as the keeper asks the queen for it: {@code POST /v1/chat/completions}
 * with the whole conversation so far, streamed, with the final usage chunk. Null options are
 * left out of the body, so the queen's defaults apply (no token limit but the context).
 *
 * @param model the model's id
 * @param messages the conversation, oldest first, ending with the user's new message
 * @param maxTokens the most tokens to generate, or null
 * @param temperature 0..2, or null
 * @param seed the sampling seed, or null
 * @param keepAlive how long the worker keeps the model loaded after the answer (Ollama's
 *     durations: {@code 5m}, {@code -1}, {@code 0}), or null
 */
public record ChatRequest(String model, List<ChatMessage> messages, Integer maxTokens,
    Double temperature, Long seed, String keepAlive) {
  public ChatRequest {
    messages = List.copyOf(messages);
  }

  /** The request body. */
  public String json() {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", model);
    ArrayNode list = body.putArray("messages");
    for (ChatMessage m : messages) {
      list.addObject().put("role", m.role()).put("content", m.content());
    }
    body.put("stream", true);
    body.putObject("stream_options").put("include_usage", true);
    if (maxTokens != null) {
      body.put("max_tokens", maxTokens);
    }
    if (temperature != null) {
      body.put("temperature", temperature);
    }
    if (seed != null) {
      body.put("seed", seed);
    }
    if (keepAlive != null) {
      body.put("keep_alive", keepAlive);
    }
    return Json.write(body);
  }
}
