package io.rbee.jobs.logs;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.rbee.narration.Redactor;

/** {@code %redactedEx}: a logged exception's trace with secrets in its messages masked. */
public final class RedactedThrowable extends ThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy tp) {
    return Redactor.redact(super.throwableProxyToString(tp));
  }
}
