package io.rbee.narration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The ordered, bounded event history of one job, and the only way to add events to it.
 *
 * <p>Only the code that creates a job holds its channel (see {@link Broadcaster#open}).
 * Operation code gets the job id and narrates with it; narration reaches the channel through
 * the broadcaster.
 *
 * <p>Thread-safe. {@link #send} never blocks on followers: it appends to the history (evicting
 * the oldest events past the {@link HistoryLimits}) and wakes waiting followers. Ids are
 * assigned in the order sends happen, from 1, without gaps. After {@link #finish} the channel
 * accepts nothing more, and followers end after reading the {@code done} event.
 */
public final class JobChannel {
  private final String jobId;
  private final HistoryLimits limits;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // history.get(head) is the oldest event kept; ids are contiguous from there to lastId
  private final ArrayList<JobEvent> history = new ArrayList<>();
  private int head;
  private final CopyOnWriteArrayList<IntConsumer> followerListeners = new CopyOnWriteArrayList<>();
  private final Instant createdAt = Instant.now();
  private long lastId;
  private long bytes;
  private boolean finished;
  private Instant finishedAt;
  // guards followers and serialises listener calls, so listeners see the counts in order
  private final Object followersLock = new Object();
  private int followers;

  JobChannel(String jobId, HistoryLimits limits) {
    this.jobId = jobId;
    this.limits = limits;
  }

  public String jobId() {
    return jobId;
  }

  public Instant createdAt() {
    return createdAt;
  }

  /**
   * Appends an event and returns its id, or -1 when the job already finished (the event is
   * dropped: nothing follows {@code done}).
   */
  public long send(String event, String data) {
    lock.lock();
    try {
      return append(event, data);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Appends the final {@code done} event and closes the channel; returns its id, or -1 when
   * the job had already finished (exactly one {@code done} per job).
   */
  public long finish(String doneData) {
    lock.lock();
    try {
      long id = append(JobEvent.DONE, doneData);
      if (id > 0) {
        finished = true;
        finishedAt = Instant.now();
        changed.signalAll();
      }
      return id;
    } finally {
      lock.unlock();
    }
  }

  private long append(String event, String data) {
    if (finished) {
      return -1;
    }
    JobEvent e = new JobEvent(++lastId, event, data);
    history.add(e);
    bytes += size(e);
    while (kept() > 1 && (kept() > limits.maxEvents() || bytes > limits.maxBytes())) {
      bytes -= size(history.get(head));
      history.set(head++, null);
    }
    if (head > 1024 && head > history.size() / 2) {
      history.subList(0, head).clear();
      head = 0;
    }
    changed.signalAll();
    return e.id();
  }

  private int kept() {
    return history.size() - head;
  }

  private static long size(JobEvent e) {
    return e.data().length() + e.event().length() + 16L;
  }

  /** True once {@code done} was sent. */
  public boolean finished() {
    lock.lock();
    try {
      return finished;
    } finally {
      lock.unlock();
    }
  }

  /** When {@code done} was sent, or null while the job runs. */
  public Instant finishedAt() {
    lock.lock();
    try {
      return finishedAt;
    } finally {
      lock.unlock();
    }
  }

  /** The id of the newest event (0 when there is none). */
  public long lastId() {
    lock.lock();
    try {
      return lastId;
    } finally {
      lock.unlock();
    }
  }

  /** The events kept now, oldest first (a snapshot). */
  public List<JobEvent> snapshot() {
    lock.lock();
    try {
      return List.copyOf(history.subList(head, history.size()));
    } finally {
      lock.unlock();
    }
  }

  /** Bytes of event data kept now (approximate, for the bound). */
  public long bytesKept() {
    lock.lock();
    try {
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A new follower that reads the events after {@code afterId} (0: from the start; an SSE
   * {@code Last-Event-ID} to resume).
   */
  public Subscription follow(long afterId) {
    synchronized (followersLock) {
      notifyFollowers(++followers);
    }
    return new Subscription(this, afterId);
  }

  /** How many followers are attached now. */
  public int followers() {
    synchronized (followersLock) {
      return followers;
    }
  }

  /**
   * Calls {@code listener} with the new follower count each time a follower attaches or
   * leaves. Called on the follower's thread, one call at a time and in the order the changes
   * happened (the last count a listener saw is the current one); must not block.
   */
  public void onFollowersChanged(IntConsumer listener) {
    followerListeners.add(listener);
  }

  void unfollow() {
    synchronized (followersLock) {
      notifyFollowers(--followers);
    }
  }

  private void notifyFollowers(int count) {
    for (IntConsumer l : followerListeners) {
      l.accept(count);
    }
  }

  record Read(JobEvent event, long missed) {}

  Read readAfter(long cursor, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (lastId <= cursor) {
        if (finished) {
          return null;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        changed.awaitNanos(left);
      }
      JobEvent oldest = history.get(head);
      long wanted = cursor + 1;
      if (wanted < oldest.id()) {
        return new Read(oldest, oldest.id() - wanted);
      }
      return new Read(history.get(head + (int) (wanted - oldest.id())), 0);
    } finally {
      lock.unlock();
    }
  }

  boolean exhaustedAfter(long cursor) {
    lock.lock();
    try {
      return finished && cursor >= lastId;
    } finally {
      lock.unlock();
    }
  }
}
