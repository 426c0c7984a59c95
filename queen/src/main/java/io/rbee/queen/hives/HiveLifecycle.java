package io.rbee.queen.hives;

import com.fasterxml.jackson.core.type.TypeReference;
import io.rbee.jobs.DeviceInfo;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.HiveInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.RbeeHome;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.launch.JvmLauncher;
import io.rbee.jobs.server.JobContext;
import io.rbee.queen.ssh.SshHost;
import io.rbee.queen.ssh.SshInventory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Starts, stops and reports hive daemons. {@code localhost} is a separate OS process of this
 * machine (same Java, same classpath) that outlives the queen; any other hive id is an SSH host
 * alias of the {@link SshInventory}, installed, started and stopped over SSH
 * ({@link SshInstaller}, {@link SshHiveLifecycle}). The queen records started hives in the
 * {@link HiveRegistry}. Every step is narrated into the job.
 */
public final class HiveLifecycle {
  static final String HIVE_MAIN = "io.rbee.hive.HiveMain";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  /** How long a started hive may take from healthy to its first heartbeat. */
  private static final Duration FIRST_BEAT_TIMEOUT = Duration.ofSeconds(10);

  private final Path home;
  private final HiveRegistry registry;
  private final AccessToken token;
  private final Supplier<String> queenUrl;
  private final SshInventory inventory;
  private final SshInstaller installer;
  private final SshHiveLifecycle remote;
  private final MachineLocks locks = new MachineLocks();

  /**
   * Hives of {@code home}; other machines come from {@code inventory}. Hives it starts get
   * {@code registry.token()} (a local one in its environment, {@code RBEE_TOKEN}; one on
   * another machine in its home's token file); {@code queenUrl}: where they send their
   * heartbeats.
   */
  public HiveLifecycle(Path home, HiveRegistry registry, Supplier<String> queenUrl,
      SshInventory inventory) {
    this.home = home;
    this.registry = registry;
    this.token = registry.token();
    this.queenUrl = queenUrl;
    this.inventory = inventory;
    this.installer = new SshInstaller(inventory, registry);
    this.remote = new SshHiveLifecycle(home, inventory, registry, queenUrl);
  }

  /** {@code HiveInstall}: copies the hive distribution to an SSH host alias's machine. */
  public void install(Operation.HiveInstall op, JobContext job) throws Exception {
    requireRemote(op.hiveId(), "install");
    locks.run(op.hiveId(), "installing", job, () -> installer.install(op, job));
  }

  /** {@code HiveUninstall}: removes what install and start put on the machine. */
  public void uninstall(Operation.HiveUninstall op, JobContext job) throws Exception {
    requireRemote(op.hiveId(), "uninstall");
    locks.run(op.hiveId(), "uninstalling", job, () -> {
      boolean running = registry.record(op.hiveId()).isPresent()
          && registry.require(op.hiveId()).healthy();
      installer.uninstall(op, job, running);
    });
  }

  /**
   * {@code HiveStart}: starts the hive (a local process, or over SSH on the alias's machine)
   * and waits until it is healthy.
   */
  public void start(Operation.HiveStart op, JobContext job) throws Exception {
    String id = op.hiveId();
    if (!Operation.DEFAULT_HIVE.equals(id)) {
      long started = System.nanoTime();
      locks.run(id, "starting it", job, () -> remote.start(op, job));
      awaitFirstBeat(id, started, job);
      job.result(info(id));
      return;
    }
    if (registry.integrated()) {
      job.narrate("hive_start").hiveId(id)
          .human("Hive {} runs inside the queen (integrated mode): nothing to start", id).emit();
      job.result(info(id));
      return;
    }
    int port = op.port() != null ? op.port()
        : registry.record(id).map(HiveRecord::port).orElse(HiveRegistry.DEFAULT_HIVE_PORT);
    String url = "http://127.0.0.1:" + port;
    job.narrate("hive_start").hiveId(id)
        .human("Starting hive {} on {}", id, url).emit();
    JobClient hive = new JobClient(url, token);
    if (hive.healthy()) {
      requireOurs(id, hive);
      registry.register(registry.record(id).filter(r -> r.port() == port)
          .orElse(new HiveRecord(id, url, port, -1, null, Instant.now().toString())));
      job.narrate("hive_already_running").hiveId(id)
          .human("Hive {} already answers at {}", id, url).emit();
      job.result(info(id));
      return;
    }
    if (!portFree(port)) {
      throw new OperationException(ErrorKind.PORT_IN_USE,
          "port " + port + " on 127.0.0.1 is in use by another program; choose another with --port");
    }
    Path log = RbeeHome.logs(home).resolve("hive-" + id + ".log");
    JvmLauncher launch = JvmLauncher.of(HIVE_MAIN)
        .jvmArg("-Xmx512m")
        .arg("--port", String.valueOf(port), "--bind", "127.0.0.1", "--hive-id", id,
            "--queen-url", queenUrl.get())
        .env("RBEE_HOME", home.toString())
        // the same token as the queen's, in the environment: a command line is public (ps)
        .env(TokenFile.ENV, token.value())
        .logTo(log);
    job.narrate("hive_spawn").hiveId(id)
        .human("Launching {} (log: {})", HIVE_MAIN, log).emit();
    long started = System.nanoTime();
    Process process = launch.start();
    job.onCancel(process::destroyForcibly);
    job.narrate("hive_spawned").hiveId(id)
        .human("Hive process started with pid {}; waiting for {}/health", process.pid(), url)
        .emit();
    waitReady(id, url, process, log, job);
    requireOurs(id, new JobClient(url, token));
    registry.register(new HiveRecord(id, url, port, process.pid(), log.toString(),
        Instant.now().toString()));
    awaitFirstBeat(id, started, job);
    long ms = (System.nanoTime() - started) / 1_000_000;
    job.narrate("hive_ready").hiveId(id).durationMs(ms)
        .human("Hive {} is ready at {} (pid {}, {} ms)", id, url, process.pid(), ms).emit();
    job.result(info(id));
  }

  private void waitReady(String id, String url, Process process, Path log, JobContext job)
      throws InterruptedException {
    JobClient client = new JobClient(url, token);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!client.healthy()) {
      job.throwIfCancelled();
      if (!process.isAlive()) {
        job.narrate("hive_log").hiveId(id).warn()
            .human("Last lines of {}:\n{}", log, tail(log, 8)).emit();
        throw new OperationException(ErrorKind.HIVE_FAILED, "hive " + id + " exited with code "
            + process.exitValue() + " before it was ready (log: " + log + ")");
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new OperationException(ErrorKind.HIVE_TIMEOUT, "hive " + id + " was not healthy within "
            + READY_TIMEOUT.toSeconds() + " s; see " + log);
      }
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Throws {@code unauthorized} when the hive at {@code hive} answers {@code /health} but
   * refuses this queen's token: a hive of another installation holds the port.
   */
  private static void requireOurs(String id, JobClient hive) {
    try {
      hive.get("/v1/devices", new TypeReference<List<DeviceInfo>>() {});
    } catch (JobClientException e) {
      if (e.kind() == JobClientException.Kind.UNAUTHORIZED) {
        throw new OperationException(ErrorKind.UNAUTHORIZED, "a hive answers at "
            + hive.baseUrl() + " but refuses this queen's token: it belongs to another"
            + " installation (another RBEE_HOME); stop it, or start hive " + id
            + " on another port with --port");
      }
      // anything else shows up where the hive is used
    }
  }

  /**
   * Waits until the started hive's first heartbeat arrived (it sends one as it starts), so an
   * {@code Infer} right after {@code HiveStart} finds it in the live registry.
   */
  private void awaitFirstBeat(String id, long since, JobContext job) throws InterruptedException {
    long deadline = System.nanoTime() + FIRST_BEAT_TIMEOUT.toNanos();
    while (registry.live().get(id).map(e -> e.arrivedNanos() - since < 0).orElse(true)) {
      job.throwIfCancelled();
      if (System.nanoTime() > deadline) {
        job.narrate("hive_no_beat").hiveId(id).warn()
            .human("Hive {} answers but sent no heartbeat within {} s; it gets no inference"
                + " until one arrives (is {} reachable from it?)", id,
                FIRST_BEAT_TIMEOUT.toSeconds(), queenUrl.get())
            .emit();
        return;
      }
      Thread.sleep(20); // polling a registry in this process; a beat is at most this late
    }
    job.narrate("hive_beats").hiveId(id)
        .human("Hive {} beats to this queen", id).emit();
  }

  /**
   * {@code HiveStop}: SIGTERM, then forced after a grace period (over SSH for an alias, its
   * workers first).
   */
  public void stop(Operation.HiveStop op, JobContext job) throws Exception {
    String id = op.hiveId();
    if (!Operation.DEFAULT_HIVE.equals(id)) {
      locks.run(id, "stopping it", job, () -> remote.stop(op, job));
      return;
    }
    if (registry.integrated()) {
      throw new OperationException(ErrorKind.HIVE_INTEGRATED, "hive " + id
          + " runs inside the queen (integrated mode); stop the queen with `rbee queen stop`");
    }
    Optional<HiveRecord> record = registry.record(id);
    Optional<ProcessHandle> handle =
        record.filter(r -> r.localPid() > 0).flatMap(r -> ProcessHandle.of(r.localPid()));
    if (handle.isEmpty() || !handle.get().isAlive()) {
      HiveConnection hive = registry.require(id);
      if (hive.healthy()) {
        throw new OperationException(ErrorKind.HIVE_NOT_OWNED, "hive " + id + " at " + hive.url()
            + " was not started by this queen; stop it where it was started");
      }
      record.ifPresent(r -> registry.register(r.stopped()));
      job.narrate("hive_not_running").hiveId(id)
          .human("Hive {} is not running", id).emit();
      return;
    }
    ProcessHandle p = handle.get();
    job.narrate("hive_stop").hiveId(id)
        .human("Stopping hive {} (pid {}) gracefully", id, p.pid()).emit();
    p.destroy();
    try {
      p.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      job.narrate("hive_stopped").hiveId(id)
          .human("Hive {} stopped", id).emit();
    } catch (java.util.concurrent.TimeoutException e) {
      job.narrate("hive_kill").hiveId(id).warn()
          .human("Hive {} did not stop within {} s; killing it", id, STOP_GRACE.toSeconds())
          .emit();
      p.destroyForcibly();
      p.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }
    registry.register(record.get().stopped());
    registry.live().remove(id); // stopped on purpose: not "stale"
  }

  /**
   * Queen shutdown: asks every hive daemon this queen started to stop (SIGTERM; each stops its
   * workers), waits up to {@code grace} for all of them together, then kills what is left. Hives
   * it started on other machines are stopped over SSH at the same time ({@link SshHiveLifecycle},
   * workers first), waited for up to {@code remoteGrace}; their narration goes to the queen's
   * log.
   */
  public void stopAll(Duration grace, Duration remoteGrace) {
    List<CompletableFuture<Void>> remotes = new ArrayList<>();
    for (String id : registry.ids()) {
      registry.record(id).filter(r -> r.remote() && r.pid() > 0).ifPresent(r ->
          remotes.add(CompletableFuture.runAsync(() -> stopRemote(id),
              runnable -> Thread.ofVirtual().name("stop-hive-" + id).start(runnable))));
    }
    long remoteDeadline = System.nanoTime() + remoteGrace.toNanos();
    List<ProcessHandle> running = new ArrayList<>();
    for (String id : registry.ids()) {
      registry.record(id).filter(r -> r.localPid() > 0)
          .flatMap(r -> ProcessHandle.of(r.localPid()))
          .filter(ProcessHandle::isAlive).ifPresent(p -> {
            p.destroy();
            running.add(p);
          });
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle p : running) {
      long left = Math.max(1, deadline - System.nanoTime());
      try {
        p.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
    running.forEach(p -> registry.hiveIdOfPid(p.pid())
        .flatMap(registry::record).ifPresent(r -> registry.register(r.stopped())));
    for (CompletableFuture<Void> f : remotes) {
      try {
        f.get(Math.max(1, remoteDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        // logged by stopRemote, or still running when the queen goes: nothing more to do
      }
    }
  }

  private void stopRemote(String id) {
    try {
      remote.stop(new Operation.HiveStop(id), LoggedJob.QUEEN);
    } catch (RuntimeException e) {
      LoggedJob.QUEEN.narrate("hive_stop_failed").hiveId(id).warn()
          .human("Could not stop hive {} over SSH: {}", id, e.getMessage()).emit();
    }
  }

  /** {@code HiveStatus}: is it running, where, and its devices (for an alias: asked over SSH too). */
  public void status(Operation.HiveStatus op, JobContext job) {
    if (!Operation.DEFAULT_HIVE.equals(op.hiveId())) {
      SshHost host = inventory.require(op.hiveId());
      try {
        remote.remoteAlive(host, job);
      } catch (OperationException e) {
        // the hive may answer even when SSH does not (or the other way round): report both
        job.narrate("hive_remote").hiveId(op.hiveId()).warn()
            .human("Cannot look at {} over SSH: {}", op.hiveId(), e.getMessage()).emit();
      }
    }
    HiveInfo info = info(op.hiveId());
    if (!"running".equals(info.state())) {
      job.narrate("hive_status").hiveId(op.hiveId()).warn()
          .human("Hive {} is {} ({})", op.hiveId(), info.state(), info.url()).emit();
    } else {
      job.narrate("hive_status").hiveId(op.hiveId())
          .human("Hive {} is running ({}, {}) with {} device(s)", op.hiveId(), info.mode(),
              info.url(), info.devices() == null ? 0 : info.devices().size())
          .emit();
      for (DeviceInfo d : info.devices()) {
        job.narrate("hive_device").hiveId(op.hiveId()).device(d.id())
            .human("{}: {}{}", d.id(), d.name(), memory(d)).emit();
      }
    }
    job.result(info);
  }

  /**
   * {@code HiveList}: every hive the queen knows and every alias of hives.conf, with its state
   * and liveness.
   */
  public void list(JobContext job) throws InterruptedException {
    List<HiveInfo> out = new ArrayList<>();
    List<String> ids = new ArrayList<>(registry.ids());
    for (String alias : inventory.aliases()) {
      if (!ids.contains(alias)) {
        ids.add(alias);
      }
    }
    // a hive that sends no heartbeats is asked, and may wait its timeout on a machine that is
    // off: all at once
    try (ExecutorService looks = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HiveInfo>> infos = new ArrayList<>();
      for (String id : ids) {
        infos.add(looks.submit(() -> liveInfo(id)));
      }
      for (Future<HiveInfo> f : infos) {
        HiveInfo i = f.get();
        out.add(i);
        job.narrate("hive_list_entry").hiveId(i.hiveId())
            .human("{}: {} ({}, {}){}", i.hiveId(), i.state(), i.mode(), i.url(), liveness(i))
            .emit();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    job.narrate("hive_list")
        .human("{} hive(s) known to this queen", out.size()).emit();
    job.result(out);
  }

  /** ", fresh, last heartbeat 0.4 s ago", or nothing for a hive that never beat. */
  public static String liveness(HiveInfo i) {
    if (i.liveness() == null) {
      return ", sends no heartbeats";
    }
    return String.format(java.util.Locale.ROOT, ", %s, last heartbeat %.1f s ago", i.liveness(),
        i.lastBeatMsAgo() / 1000.0);
  }

  /**
   * One hive's view without asking it, for {@code Status} and {@code HiveList}: from its
   * newest heartbeat (state {@code running} while fresh, {@code unreachable} when stale). A
   * hive that never beat to this queen is asked for its health, as before heartbeats.
   */
  public HiveInfo liveInfo(String id) {
    Optional<LiveHives.Entry> beat = registry.live().get(id);
    if (beat.isEmpty()) {
      HiveInfo i = info(id);
      return new HiveInfo(i.hiveId(), i.mode(), i.state(), i.url(), i.pid(), null, null, null);
    }
    LiveHives.Entry e = beat.get();
    HiveConnection c = registry.require(id);
    Long pid = pidOf(id, c);
    return new HiveInfo(id, c.mode(), e.stale() ? "unreachable" : "running", c.url(), pid,
        null, e.liveness(), e.ageMs());
  }

  /**
   * The current view of one hive (devices only when it is running). An alias never started is
   * "stopped" at the URL it would answer at; a hive on another machine is "running" or
   * "stopped" as its URL answers (its pid is a process there).
   */
  public HiveInfo info(String id) {
    Optional<HiveRecord> record = registry.record(id);
    if (record.isEmpty() && !Operation.DEFAULT_HIVE.equals(id)) {
      Optional<SshHost> host = inventory.find(id);
      if (host.isPresent()) {
        String url = host.get().hiveUrl(host.get().hivePort());
        boolean up = JobClient.withoutToken(url).healthy();
        return new HiveInfo(id, "daemon", up ? "running" : "stopped", url, null,
            up ? new RemoteHive(id, url, registry.live(), token).devices() : null, null, null);
      }
    }
    HiveConnection c = registry.require(id);
    Long pid = pidOf(id, c);
    if (record.map(HiveRecord::remote).orElse(false)) {
      boolean healthy = c.healthy();
      Optional<LiveHives.Entry> beat = registry.live().get(id);
      return new HiveInfo(id, c.mode(), healthy ? "running" : "stopped", c.url(), pid,
          healthy ? c.devices() : null, beat.map(LiveHives.Entry::liveness).orElse(null),
          beat.map(LiveHives.Entry::ageMs).orElse(null));
    }
    boolean healthy = c.healthy();
    String state = healthy ? "running" : (pid != null && isAlive(pid) ? "unreachable" : "stopped");
    List<DeviceInfo> devices = healthy ? c.devices() : null;
    Optional<LiveHives.Entry> beat = registry.live().get(id);
    return new HiveInfo(id, c.mode(), state, c.url(), pid, devices,
        beat.map(LiveHives.Entry::liveness).orElse(null),
        beat.map(LiveHives.Entry::ageMs).orElse(null));
  }

  private Long pidOf(String id, HiveConnection c) {
    if (c.mode().equals("integrated")) {
      return ProcessHandle.current().pid();
    }
    return registry.record(id).map(HiveRecord::pid).filter(p -> p > 0).orElse(null);
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static void requireRemote(String id, String verb) {
    if (Operation.DEFAULT_HIVE.equals(id)) {
      throw new OperationException(ErrorKind.UNSUPPORTED_HIVE, "cannot " + verb + " hive " + id
          + ": the local hive runs from this machine's installation; " + verb + " is for hives"
          + " on other machines, named by SSH host aliases");
    }
  }

  private static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String memory(DeviceInfo d) {
    if (d.memoryTotalBytes() == null) {
      return "";
    }
    return String.format(" (%.1f GiB memory%s)", d.memoryTotalBytes() / (double) (1L << 30),
        d.memoryFreeBytes() == null ? ""
            : String.format(", %.1f GiB free", d.memoryFreeBytes() / (double) (1L << 30)));
  }

  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log " + log + " unreadable: " + e.getMessage() + ")";
    }
  }
}
