package io.rbee.narration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
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
 * accepts nothing more, and followers end after reading the {@code done} event. The history
 * counts against its broadcaster's process budget; a send that passes the budget reclaims
 * (see {@link HistoryLimits}) on the sender's thread before it returns.
 */
public final class JobChannel {
  private final String jobId;
  private final HistoryLimits limits;
  private final HistoryBudget budget;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // signalled only by events that are not tokens: what a lingering follower waits on
  private final Condition urgent = lock.newCondition();
  // history.get(head) is the oldest event kept; ids are contiguous from there to lastId
  private final ArrayList<JobEvent> history = new ArrayList<>();
  private int head;
  private final CopyOnWriteArrayList<IntConsumer> followerListeners = new CopyOnWriteArrayList<>();
  private final Instant createdAt = Instant.now();
  // written under lock; read without it by followers measuring their lag
  private volatile long lastId;
  // under lock: the id of the newest event that is not a token
  private long lastUrgentId;
  private long bytes;
  private boolean finished;
  private Instant finishedAt;
  private final Consumer<JobChannel> onFinish;
  // true once the broadcaster forgot this channel: its bytes no longer count in the budget
  private boolean detached;
  // guards followers and serialises listener calls, so listeners see the counts in order
  private final Object followersLock = new Object();
  private int followers;
  // under lock: when WaitTicker is to look at this channel's waiters (while armed), the
  // shortest wait asked for since it last woke them, and when the newest event was sent
  private boolean wakeArmed;
  private long wakeAt;
  private long shortestWait = Long.MAX_VALUE;
  private long lastSendNanos = System.nanoTime();

  // told every appended event, in id order, under the lock; must only enqueue (see Broadcaster)
  private final Consumer<JobEvent> tap;

  JobChannel(String jobId, HistoryLimits limits, HistoryBudget budget) {
    this(jobId, limits, budget, c -> {}, null);
  }

  /**
   * As above; {@code onFinish} is told once, on the thread that finishes the job; {@code tap}
   * (null: none) is told each event as it is appended (see {@link Broadcaster#open(String,
   * Consumer)}).
   */
  JobChannel(String jobId, HistoryLimits limits, HistoryBudget budget,
      Consumer<JobChannel> onFinish, Consumer<JobEvent> tap) {
    this.onFinish = onFinish;
    this.tap = tap;
    this.jobId = jobId;
    this.limits = limits;
    this.budget = budget;
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
    long id;
    lock.lock();
    try {
      id = append(event, data);
    } finally {
      lock.unlock();
    }
    budget.reclaimIfOver();
    return id;
  }

  /**
   * Appends the final {@code done} event and closes the channel; returns its id, or -1 when
   * the job had already finished (exactly one {@code done} per job).
   */
  public long finish(String doneData) {
    long id;
    lock.lock();
    try {
      id = append(JobEvent.DONE, doneData);
      if (id > 0) {
        finished = true;
        finishedAt = Instant.now();
        changed.signalAll();
        disarmWake();
      }
    } finally {
      lock.unlock();
    }
    if (id > 0) {
      onFinish.accept(this);
    }
    budget.reclaimIfOver();
    return id;
  }

  private long append(String event, String data) {
    if (finished) {
      return -1;
    }
    JobEvent e = new JobEvent(lastId + 1, event, data);
    history.add(e);
    lastId = e.id();
    lastSendNanos = System.nanoTime();
    if (tap != null) {
      tap.accept(e);
    }
    account(e.cost());
    while (kept() > 1 && (kept() > limits.maxEvents() || bytes > limits.maxBytes())) {
      evictOldest();
    }
    changed.signalAll();
    if (!JobEvent.TOKEN.equals(event)) {
      lastUrgentId = e.id();
      urgent.signalAll();
    }
    return e.id();
  }

  // under lock
  private void evictOldest() {
    account(-history.get(head).cost());
    history.set(head++, null);
    if (head > 1024 && head > history.size() / 2) {
      history.subList(0, head).clear();
      head = 0;
    }
  }

  // under lock
  private void account(long delta) {
    bytes += delta;
    if (!detached) {
      budget.add(delta);
    }
  }

  private int kept() {
    return history.size() - head;
  }

  /**
   * Evicts the oldest events until at most {@code maxBytes} are kept (or only the newest
   * event is); returns the bytes freed. Followers behind the new oldest event get a gap.
   */
  long trimTo(long maxBytes) {
    lock.lock();
    try {
      long before = bytes;
      while (kept() > 1 && bytes > maxBytes) {
        evictOldest();
      }
      return before - bytes;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The broadcaster forgot this channel: its bytes stop counting against the budget, and with
   * {@code dropHistory} every event but the newest ({@code done}, for a finished job) is
   * dropped at once, so the memory is freed even while a job table still refers to the
   * channel. A follower still reading then gets a gap and the last event.
   */
  void detach(boolean dropHistory) {
    lock.lock();
    try {
      if (dropHistory) {
        while (kept() > 1) {
          evictOldest();
        }
      }
      if (!detached) {
        budget.add(-bytes);
        detached = true;
      }
    } finally {
      lock.unlock();
    }
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

  /** The id of the newest event (0 when there is none). Does not lock. */
  public long lastId() {
    return lastId;
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

  /** Bytes of history kept now, as {@link HistoryLimits} counts them. */
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
   *
   * <p>Resuming at or past the end of a finished job gets its {@code done} event again (with
   * its own id), so a client that reconnects after the end learns the job ended instead of
   * waiting for ever. Resuming past the newest event of a running job is a mistake the
   * follower must hear about rather than silently skipping the events up to its id: it throws
   * {@link IllegalArgumentException}, naming the newest id.
   */
  public Subscription follow(long afterId) {
    long start;
    long joinedAt;
    lock.lock();
    try {
      long after = Math.max(0, afterId);
      if (after > lastId && !finished) {
        throw new IllegalArgumentException("event id " + after + " is past the newest event ("
            + lastId + ") of running job " + jobId);
      }
      start = finished && after >= lastId ? lastId - 1 : after;
      joinedAt = lastId;
    } finally {
      lock.unlock();
    }
    synchronized (followersLock) {
      notifyFollowers(++followers);
    }
    return new Subscription(this, start, joinedAt);
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

  /**
   * A follower's buffer for {@link #readAfter}: the events after its cursor, oldest first, and
   * how many ids were evicted before them. One per subscription, filled again and again, so a
   * read costs no allocation (a job with 10,000 followers is read 10,000 times per event).
   */
  static final class Batch {
    final JobEvent[] events;
    int size;
    long missed;

    Batch(int capacity) {
      events = new JobEvent[capacity];
    }
  }

  /**
   * Fills {@code into} with up to its capacity of events after {@code cursor}, waiting about
   * {@code timeout} for the first (at most {@link WaitTicker#TICK} more); false (and
   * {@code into} untouched) when the wait timed out or the job finished and {@code cursor} is
   * its end. Taking several under one lock keeps thousands of followers from queueing on it per
   * event. The wait is untimed, ended by an event or by {@link WaitTicker}: see there why.
   */
  boolean readAfter(long cursor, Batch into, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (lastId <= cursor) {
        if (finished) {
          return false;
        }
        if (deadline - System.nanoTime() <= 0) {
          return false;
        }
        armWake(deadline, timeout.toNanos());
        changed.await();
      }
      long oldest = history.get(head).id();
      long wanted = cursor + 1;
      long missed = 0;
      if (wanted < oldest) {
        missed = oldest - wanted;
        wanted = oldest;
      }
      int from = head + (int) (wanted - oldest);
      int n = Math.min(history.size() - from, into.events.length);
      for (int i = 0; i < n; i++) {
        into.events[i] = history.get(from + i);
      }
      into.size = n;
      into.missed = missed;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@code deadlineNanos} ({@link System#nanoTime}) unless an event other than a
   * token was sent after {@code cursor}, or is sent meanwhile: tokens sent during the wait do
   * not wake it, so a follower can gather a run of them at the cost of one wake-up.
   */
  void lingerAfter(long cursor, long deadlineNanos) throws InterruptedException {
    lock.lock();
    try {
      while (lastUrgentId <= cursor && !finished) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return;
        }
        urgent.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Under lock: makes sure a waiter that waits {@code timeoutNanos}, until {@code deadline},
   * is woken by then.
   */
  private void armWake(long deadline, long timeoutNanos) {
    shortestWait = Math.min(shortestWait, timeoutNanos);
    if (!wakeArmed || deadline - wakeAt < 0) {
      wakeArmed = true;
      wakeAt = deadline;
      WaitTicker.arm(this, deadline);
    }
  }

  /** Under lock. */
  private void disarmWake() {
    if (wakeArmed) {
      wakeArmed = false;
      WaitTicker.disarm(this);
    }
  }

  /**
   * For {@link WaitTicker} at {@code now}: when the armed time has come, wakes the waiters
   * (each looks at its own deadline) and disarms; returns the time still armed, or null.
   *
   * <p>A waiter still waiting began after the newest event (that event woke any earlier
   * one), so none is due before {@code lastSend + shortestWait}: until then the channel is
   * armed again for that time instead of waking its waiters. Thousands following a busy job
   * are thus never woken by a deadline that an event already made moot.
   */
  Long wakeWaitersIfDue(long now) {
    lock.lock();
    try {
      if (!wakeArmed) {
        WaitTicker.disarm(this); // never armed without this lock: nothing to wake
        return null;
      }
      if (wakeAt - now > 0) {
        return wakeAt;
      }
      long firstDue = lastSendNanos + shortestWait;
      if (firstDue - now > 0) {
        wakeAt = firstDue;
        return wakeAt;
      }
      changed.signalAll();
      shortestWait = Long.MAX_VALUE; // the woken that wait on tell it again
      disarmWake();
      return null;
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
