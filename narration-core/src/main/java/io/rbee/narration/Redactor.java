package io.rbee.narration;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it leaves the process: bearer tokens, API keys and tokens
 * in headers or query strings, passwords in URLs, and well-known token shapes (Hugging Face
 * {@code hf_…}, OpenAI-style {@code sk-…}). Secrets become {@value #MASK}.
 */
public final class Redactor {
  public static final String MASK = "[REDACTED]";

  private record Rule(Pattern pattern, String replacement) {}

  private static final List<Rule> RULES =
      List.of(
          // user:password@host in any URL
          new Rule(Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^\\s:/@]+):[^\\s@/]+@"),
              "$1:" + MASK + "@"),
          // Authorization: Bearer xyz / Basic xyz
          new Rule(Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{4,}"),
              "$1 " + MASK),
          // key=value and key: value pairs for secret-looking keys (query strings, headers, JSON)
          new Rule(Pattern.compile(
              "(?i)([\"']?\\b(?:api[_-]?key|access[_-]?token|auth[_-]?token|token|secret|"
                  + "password|passwd|pwd|x-api-key)\\b[\"']?\\s*[=:]\\s*[\"']?)"
                  + "(?!" + Pattern.quote(MASK) + ")[^\\s&\"',;}]+"),
              "$1" + MASK),
          new Rule(Pattern.compile("\\bhf_[A-Za-z0-9]{8,}"), MASK),
          new Rule(Pattern.compile("\\bsk-[A-Za-z0-9_-]{16,}"), MASK));

  private Redactor() {}

  /** {@code text} with every secret masked; null stays null. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (Rule rule : RULES) {
      Matcher m = rule.pattern.matcher(out);
      if (m.find()) {
        out = m.replaceAll(rule.replacement);
      }
    }
    return out;
  }
}
