package io.rbee.keeper.jobs;

import io.rbee.jobs.ExitCode;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobList;
import io.rbee.jobs.JobStatus;
import io.rbee.keeper.KeeperCommand;
import io.rbee.keeper.output.ResultView;
import io.rbee.narration.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code rbee jobs list}: the queen's jobs, newest first ({@code GET /v1/jobs}), as a table
 * of id, operation, status, created, duration and error; {@code --json} prints the answer as
 * the API has it. Filters are checked here where the check is simple (status names, the limit)
 * and by the queen otherwise ({@code --since}: its 400 is a usage error, exit code 2).
 */
@Command(name = "list",
    description = {
      "List the queen's jobs, newest first: id, operation, status, created, duration, error.",
      "With the queen's history on, jobs from before its last restart are listed too."
    })
public final class JobsListCommand extends KeeperCommand {
  @Option(names = "--status", paramLabel = "S[,S...]",
      description = "Only jobs in these states: queued, running, succeeded, failed, cancelled.")
  String status;

  @Option(names = "--operation", paramLabel = "OP[,OP...]",
      description = "Only jobs of these operations (Infer, ModelDownload, Status, ...).")
  String operation;

  @Option(names = "--since", paramLabel = "WHEN",
      description = "Only jobs created since WHEN: an age (90s, 30m, 2h, 7d) or an ISO-8601 "
          + "instant (2026-12-02T06:00:00Z).")
  String since;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
      description = "At most N jobs, 1..1000 (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() throws Exception {
    Map<String, String> query = query();
    JobList list = jobRunner().queen().jobs(query);
    if (json()) {
      output().out().println(Json.write(list));
    } else if (list.jobs().isEmpty()) {
      output().out().println("no jobs" + (query.size() > 1 ? " match" : ""));
    } else {
      ResultView.render(Json.write(rows(list.jobs(), Instant.now())), output().out());
    }
    output().out().flush();
    if (!json() && list.history() != null && !list.history().enabled()) {
      output().say("note: the queen keeps no job history (" + list.history().reason()
          + "): jobs from before its last start are not listed");
    }
    return ExitCode.OK.code();
  }

  private Map<String, String> query() {
    if (limit < 1 || limit > 1000) {
      throw new ParameterException(spec.commandLine(), "--limit must be 1..1000, got " + limit);
    }
    Map<String, String> query = new LinkedHashMap<>();
    if (status != null) {
      for (String s : status.split(",")) {
        if (Arrays.stream(JobStatus.values()).noneMatch(v -> v.wire().equals(s.trim()))) {
          throw new ParameterException(spec.commandLine(), "--status must be queued, running,"
              + " succeeded, failed or cancelled (comma-separated), got \"" + s.trim() + "\"");
        }
      }
      query.put("status", status);
    }
    if (operation != null) {
      query.put("operation", operation);
    }
    if (since != null) {
      query.put("since", since);
    }
    query.put("limit", Integer.toString(limit));
    return query;
  }

  /** The table's rows: times to the second, a running job's duration so far with "…". */
  static List<Map<String, String>> rows(List<JobInfo> jobs, Instant now) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (JobInfo job : jobs) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("id", job.jobId());
      row.put("operation", job.operation());
      row.put("status", job.status() == null ? null : job.status().wire());
      Instant created = instant(job.createdAt());
      Instant finished = instant(job.finishedAt());
      row.put("created", created == null ? job.createdAt()
          : created.truncatedTo(ChronoUnit.SECONDS).toString());
      if (created == null) {
        row.put("duration", null);
      } else if (finished != null) {
        row.put("duration", human(Duration.between(created, finished)));
      } else {
        row.put("duration", human(Duration.between(created, now)) + "…");
      }
      row.put("error", job.error());
      rows.add(row);
    }
    return rows;
  }

  /** 850ms, 12.3s, 4m05s, 2h07m. */
  static String human(Duration d) {
    long ms = Math.max(0, d.toMillis());
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  private static Instant instant(String iso) {
    if (iso == null) {
      return null;
    }
    try {
      return Instant.parse(iso);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
