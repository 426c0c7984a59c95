package io.rbee.keeper.jobs;

import io.rbee.jobs.JobInfo;
import io.rbee.keeper.output.Output;
import io.rbee.keeper.output.ResultView;
import io.rbee.narration.Json;

/** A {@link JobInfo} on stdout: one JSON line, or {@code key: value} lines. */
final class JobInfoView {
  private JobInfoView() {}

  static void print(JobInfo info, Output output, boolean json) {
    if (json) {
      output.out().println(Json.write(info));
    } else {
      ResultView.render(Json.write(info), output.out());
    }
    output.out().flush();
  }
}
