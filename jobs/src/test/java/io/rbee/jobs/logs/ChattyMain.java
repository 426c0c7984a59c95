package io.rbee.jobs.logs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A child process for {@link DaemonLogFileTest}: logs {@code args[0]} lines of 1 KiB. */
public final class ChattyMain {
  private static final Logger LOG = LoggerFactory.getLogger(ChattyMain.class);

  private ChattyMain() {}

  public static void main(String[] args) {
    int lines = Integer.parseInt(args[0]);
    String filler = "x".repeat(1000);
    LOG.info("fetching https://me:hunter2@mirror.example/m.gguf?X-Amz-Signature=s1gn4tur3");
    LOG.warn("download failed", new IllegalStateException(
        "GET https://me:hunter2@mirror.example/m.gguf?token=t0k3n: 403"));
    for (int i = 0; i < lines; i++) {
      LOG.info("line {} {}", i, filler);
    }
    System.err.println("rbee-test: raw stderr line");
    System.exit(0);
  }
}
