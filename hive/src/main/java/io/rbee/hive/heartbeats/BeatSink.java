package io.rbee.hive.heartbeats;

import io.rbee.jobs.HiveHeartbeat;

/** Where a hive's beats go: the queen over HTTP ({@link QueenLink}), or a registry in-process. */
public interface BeatSink {
  /**
   * Delivers one beat; throws when it could not (the queen is down, or refused it). Called
   * from the heartbeat loop's one thread, one beat at a time.
   */
  void send(HiveHeartbeat beat) throws Exception;

  /** Who receives the beats, for the log: {@code queen at http://127.0.0.1:8500}. */
  String describe();
}
