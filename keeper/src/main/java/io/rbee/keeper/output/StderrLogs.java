package io.rbee.keeper.output;

import java.io.PrintStream;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The keeper's SLF4J backend: warnings and errors of the code it shares with the daemons (the
 * token file's, say) as {@code WARN TokenFile: message} lines on stderr; stdout belongs to
 * results. Chosen by {@code -Dslf4j.provider} in {@code Rbee.main} only, so daemons keep
 * logback. It exists for start-up time: configuring logback from XML loads ~500 classes
 * (logback, the JDK's XML parser) and cost ~150 ms of every {@code rbee} command.
 */
public final class StderrLogs implements SLF4JServiceProvider {
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();
  private final ILoggerFactory loggers = StderrLogger::new;

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  /** WARN and ERROR to stderr, the logger's simple name first; the rest dropped. */
  private static final class StderrLogger extends LegacyAbstractLogger {
    private final String shortName;

    StderrLogger(String name) {
      this.name = name;
      this.shortName = name.substring(name.lastIndexOf('.') + 1);
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return false;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern,
        Object[] arguments, Throwable throwable) {
      if (level != Level.WARN && level != Level.ERROR) {
        return;
      }
      PrintStream err = System.err;
      err.println(level + " " + shortName + ": "
          + MessageFormatter.basicArrayFormat(pattern, arguments));
      if (throwable != null) {
        err.println("  " + throwable);
      }
    }
  }
}
