package io.rbee.jobs.client;

import java.util.concurrent.CompletableFuture;
import okhttp3.Call;

/**
 * The call in flight of one follow that may be given up from outside: once the signal
 * completes, that call is cancelled at once (a peer that froze answers nothing, so waiting on
 * it is no option) and so is any call tracked after. Thread-safe.
 */
final class GiveUp {
  private final CompletableFuture<?> signal;
  private Call current; // guarded by this

  GiveUp(CompletableFuture<?> signal) {
    this.signal = signal;
    signal.whenComplete((value, failure) -> cancelCurrent());
  }

  /** True once the follow is given up. */
  boolean given() {
    return signal.isDone();
  }

  /** Makes {@code call} the one to cancel; cancels it at once when already given up. */
  synchronized void track(Call call) {
    current = call;
    if (signal.isDone()) {
      call.cancel();
    }
  }

  private synchronized void cancelCurrent() {
    if (current != null) {
      current.cancel();
    }
  }
}
