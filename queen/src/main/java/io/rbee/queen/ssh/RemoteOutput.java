package io.rbee.queen.ssh;

import io.rbee.jobs.server.JobContext;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A remote command's stdout or stderr, relayed into the job one narration per line as it
 * arrives ({@code ssh_stdout} / {@code ssh_stderr}), and kept (up to {@value #KEEP} bytes) for
 * the caller to read. Written by one MINA thread at a time.
 */
final class RemoteOutput extends OutputStream {
  static final int KEEP = 1 << 20;
  private static final int LONGEST_LINE = 8192;

  private final JobContext job;
  private final String hiveId;
  private final String action;
  private final boolean narrate;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final StringBuilder kept = new StringBuilder();

  RemoteOutput(JobContext job, String hiveId, String action, boolean narrate) {
    this.job = job;
    this.hiveId = hiveId;
    this.action = action;
    this.narrate = narrate;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n' || line.size() >= LONGEST_LINE) {
      emitLine();
      if (b == '\n') {
        return;
      }
    }
    line.write(b);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  @Override
  public synchronized void close() {
    if (line.size() > 0) {
      emitLine();
    }
  }

  /** Everything written so far (the last partial line once closed). */
  synchronized String text() {
    return kept.toString();
  }

  private void emitLine() {
    String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
    line.reset();
    if (kept.length() < KEEP) {
      kept.append(text).append('\n');
    }
    if (narrate && !text.isEmpty()) {
      job.narrate(action).hiveId(hiveId).human("{}", text).emit();
    }
  }
}
