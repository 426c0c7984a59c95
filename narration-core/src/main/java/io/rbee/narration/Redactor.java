package io.rbee.narration;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it leaves the process: bearer tokens, API keys and tokens
 * in headers or query strings, signed-URL signatures ({@code X-Amz-Signature}, {@code
 * X-Goog-Signature}, {@code X-Amz-Credential}, {@code sig}, {@code signature}), passwords in
 * URLs (also ones containing {@code @}), and well-known token shapes (Hugging Face {@code hf_…},
 * OpenAI-style {@code sk-…}, rbee's own access tokens {@code rbee_…}), all case-insensitive,
 * and every literal secret this process registered ({@link #addSecret}: its own access
 * token, whatever its shape). Secrets become {@value #MASK}.
 *
 * <p>Narration is prose about an LLM tool, so the rules avoid its everyday words: {@code
 * max_tokens=128}, {@code 42 tokens/s}, "first token: 35 ms", "basic checks" and "bearer token"
 * are left alone. Redacting is idempotent. Thread-safe.
 */
public final class Redactor {
  public static final String MASK = "[REDACTED]";

  private static final String NOT_MASKED = "(?!" + Pattern.quote(MASK) + ")";

  // scheme://user:password@host in any URL: the password goes, the user stays. The password
  // runs to the last '@' before the host's path ('/', '?', '#'), so one with '@' in it goes too
  private static final Pattern URL_PASSWORD = Pattern.compile(
      "(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*+://[^\\s:/@]*+):(?!" + Pattern.quote(MASK)
          + "@)[^\\s/?#]*@");

  // an Authorization header: whatever its scheme (Bearer, Basic, token), the credentials go
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "(?i)\\b((?:proxy-)?authorization[\"']?\\s*[:=]\\s*[\"']?(?:[a-z][a-z0-9-]*\\s+)?)"
          + "[^\\s\"',;]+");

  private static final Pattern BEARER =
      Pattern.compile("(?i)\\b(bearer\\s+)([A-Za-z0-9._~+/=-]{4,})");

  // words that follow "bearer" in prose and are never a credential
  private static final Set<String> BEARER_PROSE = Set.of("token", "tokens", "auth",
      "authentication", "authorization", "header", "scheme", "credential", "credentials",
      "required", "missing", "expected", "format", "with", "must", "from", "prefix");

  private static final Pattern BASIC =
      Pattern.compile("(?i)\\b(basic\\s+)([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])");

  // key=value, key: value and "key": "value" for secret-looking keys, with a prefix
  // (HF_TOKEN, client_secret, x-api-key) but not longer words (max_tokens, token_count).
  // Repetitions are bounded or possessive: java.util.regex recurses per repetition of a group,
  // and a long input must not overflow the stack of the thread that narrates.
  private static final Pattern KEY_VALUE = Pattern.compile(
      "(?i)(?<![A-Za-z0-9])"
          + "((?:[A-Za-z0-9]++[_.-]){0,8}(?:api[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key"
          + "|token|secret|password|passwd|passphrase|pwd|signature|sig|credential))"
          + "(?![A-Za-z0-9_-])"
          + "(\\\\?[\"'])?" // the closing quote of a quoted (JSON) key
          + "(\\s*[=:]\\s*)"
          + "(\"[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\"|'[^']*+'|\\\\?[\"']?" + NOT_MASKED
          + "[^\\s&\"'\\\\,;})\\]]+)");

  // bare words that are also everyday prose before a colon ("first token: 35 ms", "pwd: /srv",
  // "signature: GGUF")
  private static final Set<String> PROSE_KEYS =
      Set.of("token", "pwd", "signature", "sig", "credential");

  private static final Pattern HF_TOKEN = Pattern.compile("\\bhf_[A-Za-z0-9]{8,}");
  private static final Pattern SK_KEY = Pattern.compile("\\bsk-[A-Za-z0-9_-]{16,}");
  // rbee's access tokens: rbee_ + base64url of 32 random bytes (of this or any installation)
  private static final Pattern RBEE_TOKEN = Pattern.compile("\\brbee_[A-Za-z0-9_-]{20,}");

  /** Secrets shorter than this are not registered: masking them would eat ordinary words. */
  public static final int MIN_SECRET_LENGTH = 12;

  private static final Set<String> SECRETS = new CopyOnWriteArraySet<>();

  // each rule with the words (lower case) it cannot match without: a text that contains none
  // of them skips the rule's scan, as nearly every narration does (eight scans per text were
  // a good part of a job's CPU)
  private static final List<Rule> RULES = List.of(
      new Rule(URL_PASSWORD, m -> m.group(1) + ":" + MASK + "@", "://"),
      new Rule(AUTHORIZATION, m -> m.group(1) + MASK, "authorization"),
      new Rule(BEARER, m -> BEARER_PROSE.contains(m.group(2).toLowerCase(Locale.ROOT))
          ? m.group() : m.group(1) + MASK, "bearer"),
      new Rule(BASIC, m -> isBasicCredential(m.group(2)) ? m.group(1) + MASK : m.group(),
          "basic"),
      new Rule(KEY_VALUE, Redactor::maskValue, Redactor::mayHoldKeyValue),
      new Rule(HF_TOKEN, m -> MASK, "hf_"),
      new Rule(SK_KEY, m -> MASK, "sk-"),
      new Rule(RBEE_TOKEN, m -> MASK, "rbee_"));

  private record Rule(Pattern pattern, Function<MatchResult, String> replacement,
      Predicate<String> mayMatch) {
    Rule(Pattern pattern, Function<MatchResult, String> replacement, String needle) {
      this(pattern, replacement, lowerCase -> lowerCase.contains(needle));
    }
  }

  // how KEY_VALUE's keys end (api_key, access_key ... end in "key")
  private static final List<String> KEY_ENDINGS = List.of("key", "token", "secret", "password",
      "passwd", "passphrase", "pwd", "signature", "sig", "credential");

  /**
   * What KEY_VALUE cannot match without: one of its key endings, not followed by a letter,
   * digit, '_' or '-', then an optional (escaped) quote, spaces and '=' or ':'. Checked with
   * a few scans instead of the pattern's attempt at every position: narration is full of
   * "tokens" and JSON of "max_tokens", which hold the word but never this shape.
   */
  private static boolean mayHoldKeyValue(String lower) {
    for (String ending : KEY_ENDINGS) {
      for (int at = lower.indexOf(ending); at >= 0; at = lower.indexOf(ending, at + 1)) {
        if (separatorFollows(lower, at + ending.length())) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean separatorFollows(String s, int i) {
    int n = s.length();
    if (i < n && isKeyChar(s.charAt(i))) {
      return false;
    }
    if (i + 1 < n && s.charAt(i) == '\\' && isQuote(s.charAt(i + 1))) {
      i += 2;
    } else if (i < n && isQuote(s.charAt(i))) {
      i++;
    }
    while (i < n && " \t\n\u000B\f\r".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    return i < n && (s.charAt(i) == '=' || s.charAt(i) == ':');
  }

  private static boolean isKeyChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
        || c == '-';
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'';
  }

  private Redactor() {}

  /**
   * Masks {@code secret} wherever it appears, from now on, in everything this process redacts
   * (a daemon registers its access token when it loads it). Secrets shorter than {@value
   * #MIN_SECRET_LENGTH} characters are refused with {@link IllegalArgumentException}.
   */
  public static void addSecret(String secret) {
    if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("a secret to mask must be at least "
          + MIN_SECRET_LENGTH + " characters long");
    }
    SECRETS.add(secret);
  }

  /** {@code text} with every secret masked; null stays null. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : SECRETS) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    String lower = out.toLowerCase(Locale.ROOT);
    for (Rule rule : RULES) {
      if (!rule.mayMatch().test(lower)) {
        continue;
      }
      Matcher m = rule.pattern.matcher(out);
      if (m.find()) {
        out = m.reset().replaceAll(r -> Matcher.quoteReplacement(rule.replacement.apply(r)));
        lower = out.toLowerCase(Locale.ROOT);
      }
    }
    return out;
  }

  /** Basic credentials are base64 of "user:password" (RFC 7617); prose words are not. */
  private static boolean isBasicCredential(String candidate) {
    String unpadded = candidate.replace("=", "");
    if (unpadded.length() % 4 == 1) {
      return false;
    }
    try {
      byte[] decoded = Base64.getDecoder().decode(
          unpadded + "==".substring(0, (4 - unpadded.length() % 4) % 4));
      return new String(decoded, StandardCharsets.ISO_8859_1).indexOf(':') > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String maskValue(MatchResult m) {
    String key = m.group(1);
    String keyQuote = m.group(2);
    String separator = m.group(3);
    String value = m.group(4);
    if (keyQuote == null && separator.contains(":") && PROSE_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
      return m.group();
    }
    String head = key + (keyQuote == null ? "" : keyQuote) + separator;
    char first = value.charAt(0);
    if ((first == '"' || first == '\'') && value.length() > 1
        && value.charAt(value.length() - 1) == first) {
      return head + first + MASK + first;
    }
    int keep = 0;
    if (value.charAt(keep) == '\\') {
      keep++;
    }
    if (keep < value.length() && (value.charAt(keep) == '"' || value.charAt(keep) == '\'')) {
      keep++;
    }
    return head + value.substring(0, keep) + MASK;
  }
}
