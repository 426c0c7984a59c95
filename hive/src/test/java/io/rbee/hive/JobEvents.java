package io.rbee.hive;

import io.rbee.narration.JobChannel;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import java.util.List;

/** Reading what a job's channel holds, for assertions. */
public final class JobEvents {
  private JobEvents() {}

  public static List<Narration> narrations(JobChannel channel) {
    return channel.snapshot().stream()
        .filter(e -> e.event().equals(JobEvent.NARRATION))
        .map(e -> Json.read(e.data(), Narration.class))
        .toList();
  }

  public static List<String> actions(JobChannel channel) {
    return narrations(channel).stream().map(Narration::action).toList();
  }

  public static Narration narration(JobChannel channel, String action) {
    return narrations(channel).stream().filter(n -> n.action().equals(action)).findFirst()
        .orElseThrow(() -> new AssertionError(
            "no narration \"" + action + "\" on job " + channel.jobId() + "; got "
                + actions(channel)));
  }

  public static List<String> results(JobChannel channel) {
    return channel.snapshot().stream()
        .filter(e -> e.event().equals(JobEvent.RESULT))
        .map(JobEvent::data)
        .toList();
  }
}
