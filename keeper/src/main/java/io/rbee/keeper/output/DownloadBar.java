package io.rbee.keeper.output;

import io.rbee.narration.Narration;
import io.rbee.narration.Progress;
import java.io.PrintWriter;
import java.text.DecimalFormat;
import java.util.Objects;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar (bytes, rate, ETA) driven by narration that carries
 * {@code progress {current, total, unit: "bytes"}}. One bar at a time, for one
 * actor/action/target; any other narration closes it first. Used on the job's reading thread
 * only; the bar's own refresh thread writes to {@code err}, whose writes are synchronised.
 */
final class DownloadBar implements AutoCloseable {
  private static final long KIB = 1024;
  private static final long MIB = 1024 * KIB;
  private static final long GIB = 1024 * MIB;

  private final PrintWriter err;
  private final boolean color;
  private final int width;
  private ProgressBar bar;
  private String key;

  DownloadBar(PrintWriter err, boolean color, int width) {
    this.err = err;
    this.color = color;
    this.width = width;
  }

  /** Shows {@code n} on the bar and returns true, or returns false when it is no byte progress. */
  boolean offer(Narration n) {
    Progress p = n.progress();
    if (p == null || !"bytes".equals(p.unit())) {
      return false;
    }
    String k = n.actor() + "/" + n.action() + "/" + n.target();
    if (bar == null || !Objects.equals(k, key)) {
      close();
      key = k;
      bar = new ProgressBarBuilder()
          .setTaskName(taskName(n))
          .setInitialMax(p.total() == null ? -1 : p.total())
          .setUnit(unitName(p.total()), unitSize(p.total()))
          .showSpeed(new DecimalFormat("0.0"))
          .setStyle(color ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(200)
          // bytes already there when the bar appears do not count towards the rate
          .startsFrom(p.current(), java.time.Duration.ZERO)
          .setConsumer(new ErrConsumer())
          .build();
    }
    if (p.total() != null) {
      bar.maxHint(p.total());
    }
    bar.stepTo(p.current());
    return true;
  }

  /** Ends the current bar (drawn one last time, then a line break); no-op without one. */
  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
      key = null;
    }
  }

  /** KiB below 10 MiB, GiB from 10 GiB, MiB between: the bar's numbers stay readable. */
  static long unitSize(Long total) {
    long t = total == null ? 0 : total;
    return t >= 10 * GIB ? GIB : t >= 10 * MIB || total == null ? MIB : KIB;
  }

  static String unitName(Long total) {
    long size = unitSize(total);
    return size == GIB ? "GiB" : size == MIB ? "MiB" : "KiB";
  }

  private static String taskName(Narration n) {
    if (n.model() != null) {
      return n.model();
    }
    return n.target() != null ? n.target() : n.action();
  }

  private final class ErrConsumer implements ProgressBarConsumer {
    @Override
    public int getMaxRenderedLength() {
      return width;
    }

    @Override
    public void accept(String rendered) {
      err.print('\r' + rendered);
      err.flush();
    }

    @Override
    public void close() {
      err.println();
      err.flush();
    }
  }
}
