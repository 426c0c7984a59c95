package io.rbee.jobs.logs;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.rbee.narration.Redactor;

/**
 * {@code %redactedMsg}: the log message with secrets masked by {@link Redactor}, so a URL with
 * a password or a signed query string that reaches a log call never reaches the log file.
 */
public final class RedactedMessage extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Redactor.redact(super.convert(event));
  }
}
