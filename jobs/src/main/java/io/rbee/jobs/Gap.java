package io.rbee.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The data of an {@code event: gap}: {@code missed} events of a job's stream are gone, and the
 * stream goes on with event {@code first_id}.
 *
 * <p>Two places write one. A daemon's own stream writes it without an {@code id:} to a follower
 * whose resume point was already evicted from the job's history ({@code first_id} is then the
 * oldest event still kept). A relay writes it into its local job when events of the remote job
 * it relays were lost on the way: then it is an event of the local job's history like any other
 * (with an {@code id:}, the local ids stay contiguous), {@code upstream_job_id} and
 * {@code hive_id} say whose events were lost, and {@code first_id} counts in the remote job's
 * ids. Either way nothing is lost silently.
 */
public record Gap(
    String jobId,
    long missed,
    long firstId,
    @JsonProperty("upstream_job_id") String upstreamJobId,
    String hiveId) {

  /** The gap a daemon's stream announces for its own job. */
  public static Gap of(String jobId, long missed, long firstId) {
    return new Gap(jobId, missed, firstId, null, null);
  }

  /** This gap as relayed into {@code localJobId}, naming the job and hive it came from. */
  public Gap relayedInto(String localJobId, String fromJobId, String fromHiveId) {
    return new Gap(localJobId, missed, firstId,
        upstreamJobId != null ? upstreamJobId : fromJobId,
        hiveId != null ? hiveId : fromHiveId);
  }
}
