package io.rbee.jobs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a worker stays loaded after its last request, as Ollama's {@code keep_alive} says it:
 * a duration ({@code "5m"}, {@code "30s"}, {@code "1h30m"}, {@code "250ms"}), a plain number of
 * seconds ({@code 300}), {@code -1} (or any negative value) for never unload, {@code 0} to unload
 * right after the request. {@link #DEFAULT} is 5 minutes.
 */
public record KeepAlive(long millis) {
  /** A worker's keep-alive when no request said otherwise. */
  public static final KeepAlive DEFAULT = new KeepAlive(Duration.ofMinutes(5).toMillis());

  /** Never unload. */
  public static final KeepAlive FOREVER = new KeepAlive(-1);

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  public KeepAlive {
    millis = millis < 0 ? -1 : millis;
  }

  /** True for {@link #FOREVER}. */
  public boolean forever() {
    return millis < 0;
  }

  /**
   * Reads {@code text} as described on the class.
   *
   * @throws InvalidOperationException naming what is accepted, for anything else
   */
  public static KeepAlive parse(String text) {
    String s = text == null ? "" : text.strip();
    if (NUMBER.matcher(s).matches()) {
      double seconds = Double.parseDouble(s);
      return seconds < 0 ? FOREVER : new KeepAlive(Math.round(seconds * 1000));
    }
    boolean negative = s.startsWith("-");
    String rest = negative ? s.substring(1) : s;
    Matcher m = PART.matcher(rest);
    long total = 0;
    int end = 0;
    while (m.lookingAt()) {
      double n = Double.parseDouble(m.group(1));
      total += Math.round(n * switch (m.group(2)) {
        case "ms" -> 1;
        case "s" -> 1_000;
        case "m" -> 60_000;
        default -> 3_600_000;
      });
      end = m.end();
      m.region(end, rest.length());
    }
    if (end == 0 || end != rest.length()) {
      throw new InvalidOperationException("keep_alive must be a duration (\"5m\", \"30s\","
          + " \"1h30m\", \"250ms\"), a number of seconds, -1 (never unload) or 0 (unload right"
          + " after the request), got \"" + s.replaceAll("\\p{Cntrl}", "?") + "\"");
    }
    return negative ? FOREVER : new KeepAlive(total);
  }

  /** How people read it: {@code 5m}, {@code 90s}, {@code 250ms}, {@code never}, {@code 0}. */
  @Override
  public String toString() {
    if (forever()) {
      return "never";
    }
    if (millis == 0) {
      return "0";
    }
    if (millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }

  /**
   * Reads a {@code keep_alive} field as sent: a string, or a number (seconds) taken as its
   * text, as Ollama accepts both; anything else is a type error naming the field.
   */
  public static final class WireText extends StdDeserializer<String> {
    private static final long serialVersionUID = 1L;

    public WireText() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT
          || t == JsonToken.VALUE_NUMBER_FLOAT) {
        return p.getText();
      }
      return (String) ctx.handleUnexpectedToken(String.class, p);
    }
  }
}
