package io.rbee.e2e;

import io.rbee.jobs.Done;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.narration.sse.SseEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** One job run to its end through a daemon's API, with every event it streamed. */
record JobRun(Submitted submitted, List<SseEvent> events, Done done) {

  static JobRun of(JobClient client, Operation op) throws Exception {
    return follow(client, client.submit(op));
  }

  /** Follows the submitted job {@code s} from its first event to its end. */
  static JobRun follow(JobClient client, Submitted s) throws Exception {
    List<SseEvent> events = new CopyOnWriteArrayList<>();
    Done done = client.follow(s.jobId(), 0, events::add);
    return new JobRun(s, List.copyOf(events), done);
  }

  List<Narration> narration() {
    return events.stream()
        .filter(e -> JobEvent.NARRATION.equals(e.event()))
        .map(e -> Json.read(e.data(), Narration.class))
        .toList();
  }

  List<String> actions(String actor) {
    return narration().stream().filter(n -> actor.equals(n.actor())).map(Narration::action)
        .toList();
  }

  String text() {
    return events.stream()
        .filter(e -> JobEvent.TOKEN.equals(e.event()))
        .map(e -> Json.read(e.data(), io.rbee.jobs.Token.class).text())
        .collect(Collectors.joining());
  }

  /** The whole stream, readable, for assertion messages. */
  String transcript() {
    return events.stream().map(e -> e.id() + " " + e.event() + " " + e.data())
        .collect(Collectors.joining("\n"));
  }
}
