package io.rbee.jobs;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Why a job failed: the stable word a failed job's {@code done.error_kind} and its last
 * narration's {@code error_kind} carry ({@link #wire()}, the constant's name in snake_case:
 * {@code HIVE_LOST} is {@code hive_lost}). Every kind the code can fail a job with is listed
 * here, once; docs/API.md's table of error kinds is checked against it by a test.
 *
 * <p>These are job failures. A request a daemon refuses before any job exists (bad JSON, an
 * unknown job id) answers an HTTP error whose {@code code} is in the HTTP tables of
 * docs/API.md instead.
 *
 * <p>Reading a kind from the wire never fails: a newer daemon may send a kind this version
 * does not know, which {@link #fromWire(String)} reads as {@link #REMOTE_JOB_FAILED} (relays
 * pass the original word on unchanged, see {@link RelayedFailureException}).
 */
public enum ErrorKind {
  // any daemon
  INTERNAL("an unexpected failure (a bug); the daemon's log has the stack trace"),
  UNSUPPORTED_OPERATION("the daemon was handed an operation it does not run"),
  REMOTE_JOB_FAILED("a hive's or worker's job failed without a kind this version knows"),
  QUEEN_RESTARTED("the queen stopped (killed, crashed, power lost) while the job was queued or"
      + " running; its next start found it unfinished in the job history and failed it"),
  UNAUTHORIZED("a hive or worker refused the queen's token (401): it belongs to another"
      + " installation"),

  // hives, as the queen sees them
  HIVE_NOT_FOUND("no hive with that id is known to the queen"),
  HIVE_UNREACHABLE("the hive's daemon did not answer"),
  HIVE_LOST("the hive went away while it ran the job (its stream could not be resumed)"),
  HIVE_ERROR("the hive answered, but not as the job API says it should"),
  HIVE_FAILED("the hive daemon exited before it was ready"),
  HIVE_TIMEOUT("the hive daemon was not healthy in time"),
  HIVE_INTEGRATED("the hive runs inside the queen (integrated mode): stop the queen instead"),
  HIVE_NOT_OWNED("the hive answers but was not started by this queen"),
  UNSUPPORTED_HIVE("the operation is for hives reached over SSH, not the localhost hive"),
  HIVE_NOT_INSTALLED("the hive distribution is not on that machine: run HiveInstall first"),
  HIVE_RUNNING("a hive still runs on that machine (stop it first)"),
  PORT_IN_USE("the port the hive should listen on is taken"),
  HIVE_CLOSED("the hive is shutting down"),
  HIVE_CHECK_FAILED("the hive's self-check found a problem (its narration says which)"),
  NO_HIVE("no hive is reachable to run an inference"),
  HIVE_STALE("the hive stopped sending heartbeats (frozen, dead, or cut off) while it ran the"
      + " job, or before it could get the job"),

  // machines reached over SSH
  HOST_KEY_UNKNOWN("the machine's SSH host key is not in known_hosts (the message has its"
      + " fingerprint and the flag that accepts it)"),
  HOST_KEY_MISMATCH("the machine's SSH host key differs from the one in known_hosts (possible"
      + " man in the middle; no flag overrides it)"),
  SSH_FAILED("the SSH connection, login, remote command or file copy failed"),
  JAVA_MISSING("no Java 21 or newer on the machine (the message says how to install one)"),

  // workers
  WORKER_NOT_FOUND("no worker with that id on the hive"),
  WORKER_FAILED("the worker could not be started, or exited before it was ready"),
  WORKER_STOPPED("the worker was stopped while it was starting"),
  WORKER_START_TIMEOUT("the worker was not ready in time and was killed"),
  WORKER_KILL_FAILED("the worker process could not be stopped"),
  WORKER_LOADING("the worker is still loading its model"),
  WORKER_LOST("the worker went away mid-generation"),
  WORKER_BUSY("the worker's queue is full (it answered 429)"),
  QUEUE_FULL("too many requests already wait at the queen for a worker of that model"),
  WORKER_REJECTED("the worker refused the generation"),
  WORKER_UNREACHABLE("the worker did not answer"),
  LOG_UNREADABLE("the worker's log file could not be read"),
  CUDA_UNAVAILABLE("a cuda:N device was asked for but cannot be used (never falls back to the"
      + " CPU)"),

  // models
  MODEL_NOT_FOUND("the model is in no catalog (or its file is gone)"),
  INVALID_MODEL_REFERENCE("the model is not org/repo:file.gguf, an http(s) URL or demo"),
  INVALID_GGUF("the file is not a GGUF model llama.cpp can load safely"),
  MODEL_LOAD_FAILED("llama.cpp could not load the model"),
  MODEL_IN_USE("a worker holds the model, so it cannot be deleted"),
  DOWNLOAD_FAILED("the download failed (HTTP error, connection lost, size mismatch)"),
  DOWNLOAD_IN_PROGRESS("the model is being downloaded by another job"),

  // inference
  PROMPT_TOO_LONG("the prompt does not fit the worker's context"),
  CHAT_TEMPLATE_FAILED("the model's chat template refused the messages, or llama.cpp could not"
      + " apply it"),
  EMBED_FAILED("llama.cpp could not embed an input"),
  ENGINE_CLOSED("the worker unloaded its model during the generation");

  private static final Map<String, ErrorKind> BY_WIRE = Stream.of(values())
      .collect(Collectors.toUnmodifiableMap(ErrorKind::wire, Function.identity()));

  private final String wire;
  private final String meaning;

  ErrorKind(String meaning) {
    this.wire = name().toLowerCase(Locale.ROOT);
    this.meaning = meaning;
  }

  /** The word on the wire ({@code hive_lost}). */
  public String wire() {
    return wire;
  }

  /** What the kind means, for people (the table in docs/API.md). */
  public String meaning() {
    return meaning;
  }

  /**
   * The kind {@code wire} names; {@link #REMOTE_JOB_FAILED} for null or a word this version
   * does not know. Never throws.
   */
  public static ErrorKind fromWire(String wire) {
    return fromWire(wire, REMOTE_JOB_FAILED);
  }

  /** The kind {@code wire} names, or {@code fallback} for null or an unknown word. */
  public static ErrorKind fromWire(String wire, ErrorKind fallback) {
    return wire == null ? fallback : BY_WIRE.getOrDefault(wire, fallback);
  }

  @Override
  public String toString() {
    return wire;
  }
}
