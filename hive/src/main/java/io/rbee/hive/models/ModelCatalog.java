package io.rbee.hive.models;

import com.fasterxml.jackson.core.type.TypeReference;
import io.rbee.gguf.GgufFile;
import io.rbee.gguf.InvalidGgufException;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.OperationException;
import io.rbee.narration.Json;
import io.rbee.narration.Redactor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of one hive, kept in {@code hiveDir/models/catalog.json}; downloaded files live
 * under {@code hiveDir/models/files/} ({@link #filesDir()}).
 *
 * <p>Every change is written at once (to a temporary file, then moved over the catalog
 * atomically), so a new catalog on the same directory, after a restart or a crash, sees the same
 * models. Files inside {@link #filesDir()} are stored relative to it, so the hive directory can
 * be moved.
 *
 * <p>A file that vanished: {@link #list()} and {@link #find} check that each entry's file still
 * exists; an entry whose file is gone is dropped from the catalog (and the drop is written and
 * logged as a warning), so the hive never offers a model it cannot load. Downloading it again
 * brings it back.
 *
 * <p>{@code catalog.json} is readable by its owner only (0600), and holds each model's source
 * without credentials ({@link ModelReference#source()}).
 *
 * <p>A catalog file that cannot be parsed is moved aside to {@code catalog.json.corrupt-<time>}
 * (logged) and the catalog starts empty; model files are never touched by that.
 *
 * <p>Thread-safe: every method holds the catalog's lock for its whole duration (reads of GGUF
 * headers in {@link #add} included; they read only the header area).
 */
public final class ModelCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);
  private static final TypeReference<List<ModelInfo>> ENTRIES = new TypeReference<>() {};
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final String hiveId;
  private final Path modelsDir;
  private final Path catalogFile;
  private final Path filesDir;
  // insertion order = the order models were added; list() sorts by id
  private final Map<String, ModelInfo> entries = new LinkedHashMap<>();

  /** Opens (or creates) the catalog of hive {@code hiveId} stored under {@code hiveDir}. */
  public ModelCatalog(Path hiveDir, String hiveId) {
    this.hiveId = hiveId;
    this.modelsDir = hiveDir.toAbsolutePath().resolve("models");
    this.catalogFile = modelsDir.resolve("catalog.json");
    this.filesDir = modelsDir.resolve("files");
    try {
      Files.createDirectories(filesDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the model directory " + filesDir, e);
    }
    load();
  }

  /** The hive this catalog belongs to. */
  public String hiveId() {
    return hiveId;
  }

  /** Where downloaded model files are kept. */
  public Path filesDir() {
    return filesDir;
  }

  /** Every model whose file exists, sorted by id. */
  public synchronized List<ModelInfo> list() {
    pruneVanished();
    return entries.values().stream().sorted(Comparator.comparing(ModelInfo::id)).toList();
  }

  /** The model {@code id}, if the catalog has it and its file exists. */
  public synchronized Optional<ModelInfo> find(String id) {
    pruneVanished();
    return Optional.ofNullable(entries.get(id));
  }

  /**
   * Adds (or replaces) model {@code id} from {@code source} whose file is {@code file}, reading
   * its size and GGUF facts. A file outside {@link #filesDir()} is registered where it is.
   *
   * @throws OperationException {@code invalid_gguf} when the file is not a readable GGUF;
   *     the catalog is then unchanged
   */
  public synchronized ModelInfo add(String id, String source, Path file) {
    Path abs = file.toAbsolutePath().normalize();
    GgufFile gguf;
    long size;
    try {
      gguf = GgufFile.read(abs);
      size = Files.size(abs);
    } catch (InvalidGgufException e) {
      throw new OperationException(ErrorKind.INVALID_GGUF, e.getMessage(), e);
    } catch (IOException e) {
      throw new OperationException(ErrorKind.INVALID_GGUF,
          "cannot read model file " + abs + ": " + e.getMessage(), e);
    }
    ModelInfo info = new ModelInfo(id, hiveId, source, abs.toString(), size, gguf.architecture(),
        gguf.parameterCount(), Instant.now().toString());
    ModelInfo previous = entries.put(id, info);
    try {
      save();
    } catch (UncheckedIOException e) {
      if (previous == null) {
        entries.remove(id);
      } else {
        entries.put(id, previous);
      }
      throw e;
    }
    return info;
  }

  /**
   * Removes model {@code id} and returns what it was. Its file is deleted when it lies inside
   * {@link #filesDir()} (the hive downloaded it); a file registered from elsewhere is left
   * alone. Empty directories left behind in {@link #filesDir()} are removed.
   */
  public synchronized Optional<ModelInfo> remove(String id) {
    ModelInfo info = entries.remove(id);
    if (info == null) {
      return Optional.empty();
    }
    save();
    Path file = Path.of(info.path());
    if (file.startsWith(filesDir)) {
      try {
        Files.deleteIfExists(file);
        for (Path dir = file.getParent(); !dir.equals(filesDir); dir = dir.getParent()) {
          try (var children = Files.list(dir)) {
            if (children.findAny().isPresent()) {
              break;
            }
          }
          Files.delete(dir);
        }
      } catch (IOException e) {
        LOG.warn("removed model {} from the catalog but could not delete {}: {}", id, file,
            e.toString());
      }
    }
    return Optional.of(info);
  }

  private void pruneVanished() {
    List<String> gone = new ArrayList<>();
    for (ModelInfo info : entries.values()) {
      if (!Files.isRegularFile(Path.of(info.path()))) {
        gone.add(info.id());
      }
    }
    if (gone.isEmpty()) {
      return;
    }
    for (String id : gone) {
      LOG.warn("model {} dropped from the catalog of hive {}: its file {} is gone", id, hiveId,
          entries.remove(id).path());
    }
    save();
  }

  /**
   * Creates {@code file} empty and readable by its owner only (0600) before anything is written
   * to it, so the catalog is never world-readable, not even for a moment.
   */
  private static void createPrivate(Path file) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    }
  }

  private void load() {
    if (!Files.exists(catalogFile)) {
      return;
    }
    List<ModelInfo> stored;
    try {
      stored = Json.MAPPER.readValue(catalogFile.toFile(), ENTRIES);
    } catch (IOException e) {
      Path aside = modelsDir.resolve("catalog.json.corrupt-" + System.currentTimeMillis());
      LOG.warn("model catalog {} cannot be read ({}); moved it to {} and starting empty",
          catalogFile, e.getMessage(), aside);
      try {
        Files.move(catalogFile, aside);
      } catch (IOException moveFailed) {
        throw new UncheckedIOException("cannot move the unreadable catalog aside", moveFailed);
      }
      return;
    }
    for (ModelInfo m : stored) {
      if (m == null || m.id() == null || m.path() == null) {
        continue;
      }
      Path p = filesDir.resolve(m.path()).normalize(); // relative → inside; absolute stays
      // a catalog written before sources were stored without credentials: mask them now
      entries.put(m.id(), new ModelInfo(m.id(), hiveId, Redactor.redact(m.source()), p.toString(),
          m.sizeBytes(),
          m.architecture(), m.parameterCount(), m.addedAt()));
    }
  }

  private void save() {
    List<ModelInfo> stored = new ArrayList<>();
    for (ModelInfo m : entries.values()) {
      Path p = Path.of(m.path());
      String path = p.startsWith(filesDir) ? filesDir.relativize(p).toString() : p.toString();
      stored.add(new ModelInfo(m.id(), null, m.source(), path, m.sizeBytes(), m.architecture(),
          m.parameterCount(), m.addedAt()));
    }
    Path tmp = modelsDir.resolve("catalog.json.tmp");
    try {
      createPrivate(tmp);
      Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), stored);
      try {
        Files.move(tmp, catalogFile, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, catalogFile, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model catalog " + catalogFile, e);
    }
  }
}
