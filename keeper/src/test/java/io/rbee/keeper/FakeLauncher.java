package io.rbee.keeper;

import io.rbee.keeper.queen.QueenLauncher;
import io.rbee.keeper.queen.QueenRecord;
import io.rbee.keeper.queen.QueenUrl;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Starts no process: records the starts asked for and marks a fake queen healthy. */
final class FakeLauncher implements QueenLauncher {
  final List<String> starts = new CopyOnWriteArrayList<>();
  private final FakeQueen queen;
  private QueenRecord running;

  FakeLauncher() {
    this(null);
  }

  FakeLauncher(FakeQueen queen) {
    this.queen = queen;
  }

  FakeLauncher running(QueenRecord rec) {
    this.running = rec;
    return this;
  }

  @Override
  public Path logFile() {
    return Path.of("/tmp/rbee-test/logs/queen.log");
  }

  @Override
  public Optional<QueenRecord> running() {
    return Optional.ofNullable(running);
  }

  @Override
  public QueenRecord start(int port, boolean localHive, Consumer<String> say) {
    starts.add(port + (localHive ? " local-hive" : ""));
    if (queen != null) {
      queen.healthy = true;
    }
    running = new QueenRecord(4242, port, QueenUrl.local(port), localHive, "now");
    return running;
  }

  boolean keptHives;

  @Override
  public Optional<Stopped> stop(boolean keepHives) {
    keptHives = keepHives;
    Optional<QueenRecord> was = running();
    running = null;
    return was.map(rec -> new Stopped(rec, false));
  }
}
