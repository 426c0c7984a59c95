package io.rbee.jobs.logs;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.rbee.narration.Redactor;

/**
 * {@code %redactedMsg}: the log message with secrets masked by {@link Redactor}, so a URL with
 * a password or a signed query string that reaches a log call never reaches the log file.
 *
 * <p>Lines of the {@code narration} logger are passed as they are: they carry only fields a
 * narration already redacted when it was built, and they are the one per-event log line (a
 * job narrating tens of thousands of events a second would pay for the patterns twice).
 */
public final class RedactedMessage extends MessageConverter {
  /** The logger every narration is written to (see {@code Broadcaster}). */
  static final String NARRATION_LOGGER = "narration";

  @Override
  public String convert(ILoggingEvent event) {
    String message = super.convert(event);
    return NARRATION_LOGGER.equals(event.getLoggerName()) ? message : Redactor.redact(message);
  }
}
