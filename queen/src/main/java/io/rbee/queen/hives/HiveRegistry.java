package io.rbee.queen.hives;

import com.fasterxml.jackson.core.type.TypeReference;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.narration.Json;
import java.io.IOException;
import java.net.URI;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The hives this queen knows. In integrated mode {@code localhost} is the in-process hive.
 * Otherwise hives are the daemons the queen started, persisted in
 * {@code $RBEE_HOME/queen/hives.json} so a restarted queen finds them again; a stopped hive
 * keeps its record (pid -1) and so its port. {@code localhost} never started by this queen is
 * looked for at the default {@code http://127.0.0.1:9000}, so a hive started by hand is found
 * too.
 *
 * <p>Thread-safe.
 */
public final class HiveRegistry {
  public static final int DEFAULT_HIVE_PORT = 9000;

  private final Path file;
  private final LocalHive localHive;
  private final AccessToken token;
  private final LiveHives live;
  private final Map<String, HiveRecord> records = new LinkedHashMap<>();
  private final Map<String, RemoteHive> remotes = new LinkedHashMap<>();

  /**
   * {@code localHive} is null in distributed mode; {@code live}: the heartbeats' registry;
   * {@code token} is what the queen calls hive daemons with.
   */
  public HiveRegistry(Path queenDir, LocalHive localHive, LiveHives live, AccessToken token) {
    this.file = queenDir.resolve("hives.json");
    this.localHive = localHive;
    this.live = live;
    this.token = Objects.requireNonNull(token, "token");
    load();
  }

  /** The installation's token: what hives and workers are called with. */
  public AccessToken token() {
    return token;
  }

  /** The live registry of heartbeats (what scheduling and status read). */
  public LiveHives live() {
    return live;
  }

  /**
   * A hive that beats to this queen: recorded (and persisted) when it is new or answers at
   * another URL than recorded, so a hive started by hand, or one a restarted queen never
   * started, is known and reachable by its id. A hive this queen started keeps its record.
   */
  public synchronized void adopt(String hiveId, String url) {
    if (localHive != null && Operation.DEFAULT_HIVE.equals(hiveId)) {
      return;
    }
    HiveRecord r = records.get(hiveId);
    if (r != null && r.url().equals(url)) {
      return;
    }
    register(new HiveRecord(hiveId, url, portOf(url), -1, null, Instant.now().toString()));
  }

  private static int portOf(String url) {
    try {
      int port = URI.create(url).getPort();
      return port > 0 ? port : DEFAULT_HIVE_PORT;
    } catch (IllegalArgumentException e) {
      return DEFAULT_HIVE_PORT;
    }
  }

  public boolean integrated() {
    return localHive != null;
  }

  /** The in-process hive, in integrated mode. */
  public Optional<LocalHive> localHive() {
    return Optional.ofNullable(localHive);
  }

  /** The connection to {@code hiveId}; throws {@code hive_not_found} for an unknown hive. */
  public synchronized HiveConnection require(String hiveId) {
    if (localHive != null && Operation.DEFAULT_HIVE.equals(hiveId)) {
      return localHive;
    }
    HiveRecord r = records.get(hiveId);
    if (r != null) {
      return remotes.computeIfAbsent(hiveId, id -> new RemoteHive(id, r.url(), live, token));
    }
    if (Operation.DEFAULT_HIVE.equals(hiveId)) {
      return remotes.computeIfAbsent(hiveId,
          id -> new RemoteHive(id, "http://127.0.0.1:" + DEFAULT_HIVE_PORT, live, token));
    }
    throw new OperationException(ErrorKind.HIVE_NOT_FOUND,
        "hive " + hiveId + " is not known to this queen (known: " + String.join(", ", ids())
            + "); start the local hive \"localhost\", or an SSH host alias (rbee hive start"
            + " --hive ALIAS)");
  }

  /** Every hive to consider for scheduling and status: the local one first. */
  public synchronized List<HiveConnection> all() {
    List<HiveConnection> out = new ArrayList<>();
    for (String id : ids()) {
      out.add(require(id));
    }
    return out;
  }

  /** Known hive ids; {@code localhost} is always one. */
  public synchronized List<String> ids() {
    List<String> ids = new ArrayList<>();
    ids.add(Operation.DEFAULT_HIVE);
    for (String id : records.keySet()) {
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    return ids;
  }

  public synchronized Optional<HiveRecord> record(String hiveId) {
    return Optional.ofNullable(records.get(hiveId));
  }

  /** The hive whose recorded process is {@code pid}. */
  public synchronized Optional<String> hiveIdOfPid(long pid) {
    return records.values().stream().filter(r -> !r.remote() && r.pid() == pid)
        .map(HiveRecord::hiveId)
        .findFirst();
  }

  public synchronized void register(HiveRecord record) {
    records.put(record.hiveId(), record);
    remotes.remove(record.hiveId());
    save();
  }

  /** Drops the record of {@code hiveId} (an uninstalled hive); no-op when there is none. */
  public synchronized void forget(String hiveId) {
    if (records.remove(hiveId) != null) {
      remotes.remove(hiveId);
      save();
    }
  }

  private void load() {
    if (!Files.exists(file)) {
      return;
    }
    try {
      List<HiveRecord> list =
          Json.MAPPER.readValue(file.toFile(), new TypeReference<List<HiveRecord>>() {});
      list.forEach(r -> records.put(r.hiveId(), r));
    } catch (IOException e) {
      // a damaged registry must not keep the queen from starting: start empty, keep the file
      try {
        Files.move(file, file.resolveSibling("hives.json.damaged"),
            StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException ignored) {
        // nothing more to do
      }
    }
  }

  private void save() {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("hives.json.tmp");
      Json.MAPPER.writerWithDefaultPrettyPrinter()
          .writeValue(tmp.toFile(), List.copyOf(records.values()));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save " + file, e);
    }
  }
}
