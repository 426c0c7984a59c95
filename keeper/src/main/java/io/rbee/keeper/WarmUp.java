package io.rbee.keeper;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.keeper.queen.HttpQueenApi;
import io.rbee.keeper.queen.QueenRecord;
import io.rbee.narration.Json;
import io.rbee.narration.Level;
import io.rbee.narration.Narration;

/**
 * A head start for a command that talks to a queen, on the second core: while the main thread
 * builds picocli's model of the command line (reflection, ~90 ms), a thread of its own does the
 * one-time set-up the command's first request and first event would otherwise wait for: the
 * HTTP client (OkHttp's platform probe reads the security providers) and the JSON mapper with
 * the readers of narration and {@code done} events and of the queen's pid file (Jackson's
 * static set-up and its introspection of those records). Measured: ~30 ms off a {@code rbee
 * status}. It only moves work earlier: the command does whatever this has not finished itself
 * (class initialisation waits for a running one), and a failure here is the command's to meet
 * and report.
 */
final class WarmUp {
  private WarmUp() {}

  /** Starts the warm-up on a daemon thread: it never keeps the process alive. */
  static void start() {
    Thread thread = new Thread(WarmUp::run, "rbee-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  private static void run() {
    try {
      HttpQueenApi.prepare();
      // a round trip of each: the mapper's deserializers, the parser, the records' constructors
      Json.read(Json.write(new Narration("rbee", "warm_up", null, "", null, Level.INFO, null,
          null, null, null, null, null, null, null)), Narration.class);
      Json.read(Json.write(new Done("warm-up", JobStatus.SUCCEEDED, null, null, null)),
          Done.class);
      // the pid file, read for the queen's URL when none is given
      Json.read(Json.write(new QueenRecord(0, 0, "", false, "")), QueenRecord.class);
    } catch (RuntimeException e) {
      // nothing to do: the command meets the same failure where it can report it
    }
  }
}
