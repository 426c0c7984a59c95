package io.rbee.narration;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How much a narration matters; serialised in lower case. */
public enum Level {
  DEBUG,
  INFO,
  WARN,
  ERROR;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
