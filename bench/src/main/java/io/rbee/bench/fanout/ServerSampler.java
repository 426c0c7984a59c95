package io.rbee.bench.fanout;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Samples a server's resident memory and thread count every 100 ms on a platform thread and
 * keeps the peaks.
 */
final class ServerSampler implements AutoCloseable {
  private final Thread thread;
  private volatile long peakRss;
  private volatile long peakThreads;
  private volatile boolean stop;

  ServerSampler(LongSupplier rss, LongSupplier threads) {
    this.thread = Thread.ofPlatform().daemon().name("server-sampler").start(() -> {
      while (!stop) {
        peakRss = Math.max(peakRss, rss.getAsLong());
        peakThreads = Math.max(peakThreads, threads.getAsLong());
        try {
          TimeUnit.MILLISECONDS.sleep(100); // a sampling period
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  long peakRss() {
    return peakRss;
  }

  long peakThreads() {
    return peakThreads;
  }

  @Override
  public void close() {
    stop = true;
    thread.interrupt();
  }
}
