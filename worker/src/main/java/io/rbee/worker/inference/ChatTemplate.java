package io.rbee.worker.inference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbee.gguf.GgufFile;
import io.rbee.gguf.TinyLlama;
import io.rbee.jobs.ChatMessage;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.OperationException;
import io.rbee.narration.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns chat messages into a prompt with llama.cpp's {@code applyTemplate}: the GGUF's
 * {@code tokenizer.chat_template} (Jinja), or llama.cpp's ChatML fallback when the model has
 * none. Two things around that native call would otherwise break the worker (checked on
 * de.kherud:llama 4.2.0, llama.cpp build 4916):
 *
 * <ul>
 *   <li>A template that calls {@code raise_exception(...)} while rendering (many real
 *       templates do, for roles that do not alternate) throws a C++ exception nobody catches:
 *       the JVM aborts. The template is therefore loaded rewritten ({@link #loadTemplate()}):
 *       {@code raise_exception} prints a marker instead, which {@link #apply} turns into an
 *       {@link ErrorKind#CHAT_TEMPLATE_FAILED} with the template's own message.
 *   <li>The prompt comes back through JNI's modified UTF-8, which mangles characters outside
 *       the Basic Multilingual Plane (emoji) and cuts the text at a NUL. Such characters (and
 *       the marker's separator) are swapped for private-use characters the texts do not hold
 *       before the call, and swapped back after it.
 * </ul>
 *
 * <p>Immutable; {@link #apply} is called under the engine's lock (one native call at a time).
 */
final class ChatTemplate {
  /** What {@code raise_exception} prints in the rewritten template, around its message. */
  private static final char MARK = '\u001e';
  private static final String RAISED = MARK + "rbee:raise_exception:";
  private static final Pattern RAISE_CALL = Pattern.compile("\\braise_exception\\s*\\(");
  private static final String RAISE_MACRO = "{% macro rbee_raise_exception(message) %}"
      + RAISED + "{{ message }}" + MARK + "{% endmacro %}";
  /** What llama.cpp's ChatML fallback makes of one user message "probe". */
  private static final String CHATML_PROBE =
      "<|im_start|>user\nprobe<|im_end|>\n<|im_start|>assistant\n";
  /** The private-use area, where placeholders are taken from. */
  private static final int PLACEHOLDER_FIRST = 0xE000;
  private static final int PLACEHOLDER_LAST = 0xF8FF;

  private final String modelTemplate;
  /** True when llama.cpp could not parse the model's template and uses ChatML instead. */
  private final boolean replaced;

  private ChatTemplate(String modelTemplate, boolean replaced) {
    this.modelTemplate = modelTemplate;
    this.replaced = replaced;
  }

  /** The template of {@code model}: its {@code tokenizer.chat_template}, if any. */
  static ChatTemplate of(GgufFile model) {
    String t = model.string(TinyLlama.CHAT_TEMPLATE_KEY);
    return new ChatTemplate(t == null || t.isBlank() ? null : t, false);
  }

  /**
   * This template as llama.cpp loaded it: a model template that does not spell ChatML yet
   * renders a probe message as ChatML is one llama.cpp could not parse and silently replaced
   * by its fallback. {@code applyTemplate} is the loaded model's.
   */
  ChatTemplate asLoaded(UnaryOperator<String> applyTemplate) {
    if (modelTemplate == null || modelTemplate.contains("<|im_start|>")) {
      return this;
    }
    try {
      String probe = apply(List.of(new ChatMessage("user", "probe")), applyTemplate);
      return new ChatTemplate(modelTemplate, probe.equals(CHATML_PROBE));
    } catch (OperationException e) {
      return this; // it parsed, and refuses a lone user message: the model's own
    }
  }

  /** True when the model carries its own template (else llama.cpp falls back to ChatML). */
  boolean modelHasOne() {
    return modelTemplate != null;
  }

  /** How narration names the template in use. */
  String describe() {
    if (replaced) {
      return "ChatML, llama.cpp's fallback: it could not parse the model's template";
    }
    return modelHasOne() ? "the model's chat template"
        : "ChatML, llama.cpp's fallback: the model has none";
  }

  /**
   * The template to load the model with ({@code ModelParameters.setChatTemplate}), or null to
   * leave it to llama.cpp: the model's own with {@code raise_exception} made harmless.
   */
  String loadTemplate() {
    if (modelTemplate == null || !RAISE_CALL.matcher(modelTemplate).find()) {
      return null;
    }
    return RAISE_MACRO + RAISE_CALL.matcher(modelTemplate)
        .replaceAll(Matcher.quoteReplacement("rbee_raise_exception("));
  }

  /**
   * The prompt for {@code messages}, with the generation prompt (the assistant's turn) added.
   * {@code applyTemplate} is llama.cpp's, taking {@code {"messages": [...]}} as JSON.
   *
   * @throws OperationException kind {@code chat_template_failed} when the template refuses
   *     the messages or llama.cpp fails to apply it
   */
  String apply(List<ChatMessage> messages, UnaryOperator<String> applyTemplate) {
    Placeholders swap = new Placeholders(messages, modelTemplate);
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode list = body.putArray("messages");
    for (ChatMessage m : messages) {
      list.addObject().put("role", m.role()).put("content", swap.protect(m.content()));
    }
    String prompt;
    try {
      prompt = applyTemplate.apply(body.toString());
    } catch (RuntimeException e) { // de.kherud's LlamaException is not public
      throw new OperationException(ErrorKind.CHAT_TEMPLATE_FAILED, "llama.cpp could not apply "
          + describe() + " to " + messages.size() + " message(s): " + e.getMessage(), e);
    }
    int raised = prompt.indexOf(RAISED);
    if (raised >= 0) {
      int start = raised + RAISED.length();
      int end = prompt.indexOf(MARK, start);
      String why = swap.restore(prompt.substring(start, end < 0 ? prompt.length() : end));
      throw new OperationException(ErrorKind.CHAT_TEMPLATE_FAILED,
          "the model's chat template refuses these messages: " + why);
    }
    return swap.restore(prompt);
  }

  /**
   * Stands in private-use characters for the code points JNI's modified UTF-8 cannot carry
   * back (NUL and those beyond U+FFFF) and for the marker's separator, each distinct one its
   * own placeholder, none that the texts already hold.
   */
  private static final class Placeholders {
    private final Map<Integer, Character> forCodePoint = new HashMap<>();
    private final Map<Character, Integer> back = new HashMap<>();
    private final String taken;
    private int next = PLACEHOLDER_FIRST;

    Placeholders(List<ChatMessage> messages, String template) {
      StringBuilder all = new StringBuilder(template == null ? "" : template);
      messages.forEach(m -> all.append(m.content()));
      this.taken = all.toString();
    }

    String protect(String text) {
      StringBuilder out = new StringBuilder(text.length());
      text.codePoints().forEach(cp -> {
        if (cp == 0 || cp == MARK || cp > 0xFFFF) {
          out.append(forCodePoint.computeIfAbsent(cp, this::fresh).charValue());
        } else {
          out.appendCodePoint(cp);
        }
      });
      return out.toString();
    }

    private Character fresh(int cp) {
      while (next <= PLACEHOLDER_LAST && taken.indexOf(next) >= 0) {
        next++;
      }
      if (next > PLACEHOLDER_LAST) {
        throw new OperationException(ErrorKind.CHAT_TEMPLATE_FAILED, "the messages hold too"
            + " many distinct characters beyond U+FFFF to pass them through llama.cpp");
      }
      char c = (char) next++;
      back.put(c, cp);
      return c;
    }

    String restore(String text) {
      if (back.isEmpty()) {
        return text;
      }
      StringBuilder out = new StringBuilder(text.length());
      for (int i = 0; i < text.length(); i++) {
        Integer cp = back.get(text.charAt(i));
        if (cp != null) {
          out.appendCodePoint(cp);
        } else {
          out.append(text.charAt(i));
        }
      }
      return out.toString();
    }
  }
}
