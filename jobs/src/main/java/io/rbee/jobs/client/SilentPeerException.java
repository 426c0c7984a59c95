package io.rbee.jobs.client;

import java.io.IOException;

/** The peer sent nothing for longer than the silence limit, so the call was cancelled. */
final class SilentPeerException extends IOException {
  private static final long serialVersionUID = 1L;

  SilentPeerException(String message, IOException cancelled) {
    super(message, cancelled);
  }
}
