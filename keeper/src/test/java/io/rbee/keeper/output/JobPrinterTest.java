package io.rbee.keeper.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.narration.Json;
import io.rbee.narration.Level;
import io.rbee.narration.Narration;
import io.rbee.narration.Progress;
import io.rbee.narration.sse.SseEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Byte progress becomes a bar on a terminal and stays plain lines elsewhere. */
class JobPrinterTest {
  private static final long MIB = 1024 * 1024;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private JobPrinter printer(boolean terminal) {
    return new JobPrinter(new Output(new PrintWriter(out), new PrintWriter(err), terminal, false),
        false);
  }

  private static SseEvent narration(String action, String human, Progress progress) {
    return new SseEvent("1", "narration", Json.write(new Narration("hive", action, "demo", human,
        "job-1", Level.INFO, "t", null, null, "demo", null, null, null, progress)));
  }

  private static void download(JobPrinter printer) {
    printer.accept(narration("download_progress", "1.0 MiB / 4.0 MiB (25%)",
        new Progress(MIB, 4 * MIB, "bytes")));
    printer.accept(narration("download_progress", "4.0 MiB / 4.0 MiB (100%)",
        new Progress(4 * MIB, 4 * MIB, "bytes")));
    printer.accept(narration("model_ready", "Model demo is ready", null));
    printer.finish(new Done("job-1", JobStatus.SUCCEEDED, null, null, null));
  }

  @Test
  void onATerminalByteProgressIsABarThenNarrationContinuesBelowIt() {
    download(printer(true));

    String text = err.toString();
    assertThat(text).contains("\r").contains("demo").contains("100%").contains("KiB")
        .doesNotContain("1.0 MiB / 4.0 MiB (25%)");
    assertThat(text.indexOf("100%")).isLessThan(text.indexOf("Model demo is ready"));
    assertThat(text).endsWith("[hive      ] model_ready        Model demo is ready\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void theBarCountsInAUnitThatFitsTheSize() {
    assertThat(DownloadBar.unitName(4L << 20)).isEqualTo("KiB");
    assertThat(DownloadBar.unitName(40L << 20)).isEqualTo("MiB");
    assertThat(DownloadBar.unitName(40L << 30)).isEqualTo("GiB");
    assertThat(DownloadBar.unitName(null)).isEqualTo("MiB");
  }

  @Test
  void offATerminalByteProgressIsPlainNarrationLines() {
    download(printer(false));

    assertThat(err.toString()).isEqualTo(
        "[hive      ] download_progress  1.0 MiB / 4.0 MiB (25%)\n"
            + "[hive      ] download_progress  4.0 MiB / 4.0 MiB (100%)\n"
            + "[hive      ] model_ready        Model demo is ready\n");
  }

  @Test
  void aGapIsOneWarningLineSayingHowManyEventsWereMissed() {
    JobPrinter printer = printer(false);
    printer.accept(narration("step", "before", null));
    printer.accept(
        new SseEvent("1", "gap", "{\"job_id\":\"job-1\",\"missed\":16,\"first_id\":18}"));
    printer.accept(narration("step", "after", null));

    assertThat(err.toString()).isEqualTo(
        "[hive      ] step               before\n"
            + "missed 16 events (history bound)\n"
            + "[hive      ] step               after\n");
  }
}
