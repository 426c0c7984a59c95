package io.rbee.jobs;

import java.util.List;

/**
 * One message of a chat, as {@code Infer.messages} carries it: {@code role} is {@code system},
 * {@code user} or {@code assistant}; {@code content} is its text. The worker turns the list into
 * a prompt with the model's own chat template ({@code tokenizer.chat_template}).
 */
public record ChatMessage(String role, String content) {
  /** The roles a message may have, in no particular order. */
  public static final List<String> ROLES = List.of("system", "user", "assistant");

  /** Throws {@link InvalidOperationException} naming message {@code index} and what is wrong. */
  void validate(int index) {
    if (role == null || !ROLES.contains(role)) {
      throw new InvalidOperationException("messages[" + index + "].role must be one of "
          + String.join(", ", ROLES) + ", got " + (role == null ? "nothing" : "\"" + role + "\""));
    }
    if (content == null) {
      throw new InvalidOperationException("messages[" + index + "].content is required (a"
          + " string)");
    }
  }
}
