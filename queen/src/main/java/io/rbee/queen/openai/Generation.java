package io.rbee.queen.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.ChatMessage;
import io.rbee.jobs.Operation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code /v1/chat/completions} or {@code /v1/completions} request read into the
 * {@link Operation.Infer} it runs as, with how to answer it ({@code stream},
 * {@code stream_options.include_usage}).
 *
 * <p>OpenAI's defaults, not rbee's: temperature 1, top_p 1, no top_k, and no token limit but
 * the context ({@code max_tokens} absent generates until the model stops or the context is
 * full). Extensions that other servers accept too: {@code top_k}, and Ollama's
 * {@code keep_alive}.
 */
record Generation(String model, Operation.Infer infer, boolean stream, boolean includeUsage,
    boolean chat) {
  private static final int MAX_STOP = 4;

  /** Fields both endpoints share. */
  private static final Set<String> COMMON = Set.of("model", "stream", "stream_options",
      "max_tokens", "temperature", "top_p", "top_k", "stop", "seed", "n", "user",
      "presence_penalty", "frequency_penalty", "logit_bias", "logprobs", "keep_alive");

  private static final Set<String> CHAT = union(COMMON, Set.of("messages",
      "max_completion_tokens", "top_logprobs", "response_format", "tools", "tool_choice",
      "parallel_tool_calls", "functions", "function_call", "store", "metadata", "modalities",
      "audio", "prediction", "reasoning_effort", "service_tier", "web_search_options"));

  private static final Set<String> COMPLETION = union(COMMON, Set.of("prompt", "echo",
      "suffix", "best_of"));

  /** Reads a {@code /v1/chat/completions} body; throws a 400 naming the field. */
  static Generation chat(String json) {
    RequestFields f = RequestFields.parse(json, CHAT);
    String model = f.requiredText("model");
    List<ChatMessage> messages = messages(f);
    f.onlyNeutral("top_logprobs", "rbee returns no log probabilities", 0);
    f.onlyNeutral("response_format", "rbee generates plain text only",
        Map.of("type", "text"));
    f.onlyNeutral("tools", "rbee does not call tools", List.of());
    f.onlyNeutral("tool_choice", "rbee does not call tools", "none");
    f.onlyNeutral("functions", "rbee does not call functions", List.of());
    f.onlyNeutral("function_call", "rbee does not call functions", "none");
    f.onlyNeutral("modalities", "rbee answers in text only", List.of("text"));
    f.onlyNeutral("audio", "rbee answers in text only");
    f.onlyNeutral("prediction", "rbee takes no predicted output");
    f.onlyNeutral("reasoning_effort", "rbee's models are not reasoning models");
    f.onlyNeutral("web_search_options", "rbee does not search the web");
    f.onlyNeutral("store", "rbee keeps no completions for later", false);
    // parallel_tool_calls, metadata, service_tier and user change nothing without tools,
    // storage or tiers: accepted and ignored, as clients send them by default
    Integer maxTokens = f.integer("max_completion_tokens");
    if (maxTokens == null) {
      maxTokens = f.integer("max_tokens");
    }
    Operation.Infer infer = common(f, model, null, messages, maxTokens);
    return new Generation(model, infer, stream(f), includeUsage(f), true);
  }

  /** Reads a {@code /v1/completions} body; throws a 400 naming the field. */
  static Generation completion(String json) {
    RequestFields f = RequestFields.parse(json, COMPLETION);
    String model = f.requiredText("model");
    String prompt = prompt(f);
    f.onlyNeutral("echo", "rbee does not echo the prompt", false);
    f.onlyNeutral("suffix", "rbee does not insert between a prompt and a suffix");
    f.onlyNeutral("best_of", "rbee generates one completion per request", 1);
    Operation.Infer infer = common(f, model, prompt, null, f.integer("max_tokens"));
    return new Generation(model, infer, stream(f), includeUsage(f), false);
  }

  private static Operation.Infer common(RequestFields f, String model, String prompt,
      List<ChatMessage> messages, Integer maxTokens) {
    f.onlyNeutral("n", "rbee generates one choice per request (n = 1)", 1);
    f.onlyNeutral("presence_penalty", "rbee applies no presence penalty", 0);
    f.onlyNeutral("frequency_penalty", "rbee applies no frequency penalty", 0);
    f.onlyNeutral("logit_bias", "rbee applies no logit bias", Map.of());
    f.onlyNeutral("logprobs", "rbee returns no log probabilities", false, 0);
    f.text("user");
    if (maxTokens != null && maxTokens < 1) {
      throw RequestFields.refuse("max_tokens", "max_tokens must be at least 1, got "
          + maxTokens);
    }
    Double temperature = f.number("temperature");
    Double topP = f.number("top_p");
    Integer topK = f.integer("top_k");
    List<String> stop = f.textOrList("stop", MAX_STOP);
    Operation.Infer op = new Operation.Infer(null, model, prompt,
        maxTokens == null ? Operation.Infer.MAX_TOKENS_LIMIT
            : Math.min(maxTokens, Operation.Infer.MAX_TOKENS_LIMIT),
        temperature == null ? 1.0 : temperature, topP == null ? 1.0 : topP,
        topK == null ? 0 : topK, f.longInteger("seed"), stop, messages,
        f.keepAlive("keep_alive"));
    try {
      op.validate();
    } catch (RuntimeException e) {
      throw RequestFields.refuse(fieldOf(e.getMessage()), e.getMessage());
    }
    return op;
  }

  private static boolean stream(RequestFields f) {
    return Boolean.TRUE.equals(f.bool("stream"));
  }

  private static boolean includeUsage(RequestFields f) {
    JsonNode options = f.node("stream_options");
    if (options == null) {
      return false;
    }
    if (!stream(f)) {
      throw RequestFields.refuse("stream_options",
          "stream_options is only allowed when stream is true");
    }
    if (!options.isObject()) {
      throw RequestFields.refuse("stream_options", "stream_options must be an object, got "
          + RequestFields.kind(options));
    }
    JsonNode usage = options.get("include_usage");
    if (options.size() > (usage == null ? 0 : 1)) {
      throw RequestFields.refuse("stream_options",
          "stream_options supports include_usage only");
    }
    if (usage != null && !usage.isBoolean() && !usage.isNull()) {
      throw RequestFields.refuse("stream_options",
          "stream_options.include_usage must be true or false");
    }
    return usage != null && usage.asBoolean();
  }

  /** {@code messages}: roles and text content; {@code developer} is read as {@code system}. */
  private static List<ChatMessage> messages(RequestFields f) {
    JsonNode list = f.node("messages");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw RequestFields.refuse("messages",
          "messages is required: a non-empty list of {\"role\", \"content\"}");
    }
    List<ChatMessage> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode m = list.get(i);
      String where = "messages[" + i + "]";
      if (!m.isObject()) {
        throw RequestFields.refuse("messages", where + " must be an object");
      }
      JsonNode roleNode = m.get("role");
      String role = roleNode == null || !roleNode.isTextual() ? null : roleNode.asText();
      if ("developer".equals(role)) {
        role = "system";
      }
      if ("tool".equals(role) || "function".equals(role)) {
        throw RequestFields.refuse("messages", where + ".role \"" + role
            + "\" is not supported: rbee does not call tools");
      }
      if (role == null || !ChatMessage.ROLES.contains(role)) {
        throw RequestFields.refuse("messages", where + ".role must be one of system,"
            + " developer, user, assistant");
      }
      if (m.hasNonNull("tool_calls") || m.hasNonNull("function_call")) {
        throw RequestFields.refuse("messages", where + " carries tool calls: rbee does not"
            + " call tools");
      }
      out.add(new ChatMessage(role, content(m.get("content"), where)));
    }
    return out;
  }

  /** A message's content: a string, or a list of text parts joined by newlines. */
  private static String content(JsonNode c, String where) {
    if (c == null || c.isNull()) {
      throw RequestFields.refuse("messages", where + ".content is required");
    }
    if (c.isTextual()) {
      return c.asText();
    }
    if (!c.isArray()) {
      throw RequestFields.refuse("messages", where + ".content must be a string or a list of"
          + " text parts");
    }
    List<String> parts = new ArrayList<>();
    for (JsonNode part : c) {
      JsonNode type = part.get("type");
      if (type == null || !"text".equals(type.asText()) || !part.path("text").isTextual()) {
        throw RequestFields.refuse("messages", where + ".content may only hold"
            + " {\"type\": \"text\", \"text\": ...} parts (rbee's models read text only)");
      }
      parts.add(part.get("text").asText());
    }
    return String.join("\n", parts);
  }

  /** {@code prompt}: a string, or a list holding exactly one string. */
  private static String prompt(RequestFields f) {
    JsonNode p = f.node("prompt");
    if (p != null && p.isArray() && p.size() == 1 && p.get(0).isTextual()) {
      p = p.get(0);
    }
    if (p == null || !p.isTextual() || p.asText().isEmpty()) {
      throw RequestFields.refuse("prompt", "prompt is required: a non-empty string (or a"
          + " list of one; token arrays and several prompts are not supported)");
    }
    return p.asText();
  }

  /** The request field an operation's validation message starts with, if it names one. */
  private static String fieldOf(String message) {
    if (message == null) {
      return null;
    }
    for (String field : List.of("max_tokens", "temperature", "top_p", "top_k", "stop",
        "keep_alive", "seed")) {
      if (message.startsWith(field)) {
        return field;
      }
    }
    return null;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.addAll(b);
    return Set.copyOf(out);
  }
}
