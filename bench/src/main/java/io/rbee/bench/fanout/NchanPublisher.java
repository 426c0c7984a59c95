package io.rbee.bench.fanout;

import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobClientException;
import io.rbee.narration.JobEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The one follower of the queen's job on the nchan path: it reads the job's stream and
 * publishes each narration, in order, to nchan's {@code /pub/<channel>}, which fans it out to
 * every subscriber. So nchan's followers get the same events, one hop later.
 */
final class NchanPublisher implements AutoCloseable {
  private final HttpClient http = HttpClient.newHttpClient();
  private final Thread thread;
  private volatile Exception failure;

  NchanPublisher(JobClient queen, String jobId, String nchanUrl, String channel) {
    URI pub = URI.create(nchanUrl + "/pub/" + channel);
    this.thread = Thread.ofPlatform().daemon().name("nchan-publisher").start(() -> {
      try {
        queen.follow(jobId, 0, e -> {
          if (JobEvent.NARRATION.equals(e.event())) {
            publish(pub, e.data());
          } else if (JobEvent.DONE.equals(e.event())) {
            publish(pub, "{\"done\":true}");
          }
        });
      } catch (JobClientException | RuntimeException e) {
        failure = e;
      }
    });
  }

  private void publish(URI pub, String data) {
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(pub)
          .header("Content-Type", "text/plain")
          .POST(HttpRequest.BodyPublishers.ofString(data)).build(),
          HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException("nchan answered " + r.statusCode() + " to a publish");
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not publish to nchan: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    }
  }

  /** Waits for the queen's job to end; throws what went wrong while relaying it. */
  void awaitEnd(long millis) throws Exception {
    thread.join(millis);
    if (failure != null) {
      throw failure;
    }
    if (thread.isAlive()) {
      throw new IllegalStateException("the queen's job did not end within " + millis + " ms");
    }
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
