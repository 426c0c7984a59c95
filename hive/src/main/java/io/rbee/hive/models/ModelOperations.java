package io.rbee.hive.models;

import io.rbee.gguf.DemoModel;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.limits.Gate;
import io.rbee.jobs.server.JobContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The hive's model operations ({@code ModelDownload}, {@code ModelList}, {@code ModelGet},
 * {@code ModelDelete}) as a library: the hive daemon and the queen's integrated mode call the
 * same methods with their job's context. Each narrates its steps on the job and emits its
 * answer with {@link JobContext#result}.
 *
 * <p>Thread-safe. Downloads of different models run in parallel, at most {@code maxDownloads}
 * at once per hive (more wait for "a model download on hive X", told their place); a second
 * download of a model that is being downloaded (or waits to be) fails at once with {@code
 * download_in_progress} (the two would share one {@code .part}).
 */
public final class ModelOperations {
  /**
   * Downloads that run at once on one hive unless told otherwise: each holds a connection and
   * the disk; two keep a slow source from holding up the rest without splitting one link's
   * bandwidth many ways.
   */
  public static final int DEFAULT_MAX_DOWNLOADS = 2;

  private final ModelCatalog catalog;
  private final ModelDownloader downloader;
  private final Predicate<String> inUse;
  private final String hfEndpoint;
  private final Set<String> downloading = ConcurrentHashMap.newKeySet();
  private final Gate downloads;

  /**
   * Operations on {@code catalog}; {@code inUse} tells whether a starting or ready worker has
   * a model (such a model cannot be deleted). Hugging Face references resolve against
   * {@code RBEE_HF_ENDPOINT}, or huggingface.co.
   */
  public ModelOperations(ModelCatalog catalog, ModelDownloader downloader,
      Predicate<String> inUse) {
    this(catalog, downloader, inUse, null);
  }

  /** As above, resolving Hugging Face references against {@code hfEndpoint} (null: env). */
  public ModelOperations(ModelCatalog catalog, ModelDownloader downloader,
      Predicate<String> inUse, String hfEndpoint) {
    this(catalog, downloader, inUse, hfEndpoint, DEFAULT_MAX_DOWNLOADS);
  }

  /** As above, with at most {@code maxDownloads} downloads at once. */
  public ModelOperations(ModelCatalog catalog, ModelDownloader downloader,
      Predicate<String> inUse, String hfEndpoint, int maxDownloads) {
    this.catalog = catalog;
    this.downloader = downloader;
    this.inUse = inUse;
    this.hfEndpoint = hfEndpoint;
    this.downloads = new Gate("a model download on hive " + catalog.hiveId(), maxDownloads)
        .timed("hive", "download");
  }

  /** Downloads (or generates, for {@code demo}) a model into the catalog; result: ModelInfo. */
  public void download(Operation.ModelDownload op, JobContext job) {
    long start = System.nanoTime();
    ModelReference ref = hfEndpoint == null ? ModelReference.parse(op.model())
        : ModelReference.parse(op.model(), hfEndpoint);
    String id = ref.id();
    job.narrate("model_resolve").hiveId(catalog.hiveId()).model(id)
        .human("Resolved {} to {}", op.model(), describe(ref)).emit();
    var present = catalog.find(id);
    if (present.isPresent()) {
      job.narrate("model_present").hiveId(catalog.hiveId()).model(id)
          .human("Model {} is already present ({}, {}); nothing to download", id,
              ByteSize.format(present.get().sizeBytes()), present.get().path())
          .emit();
      job.result(present.get());
      return;
    }
    if (!downloading.add(id)) {
      throw new OperationException(ErrorKind.DOWNLOAD_IN_PROGRESS, "model " + id
          + " is being downloaded by another job right now; wait for it, or cancel it");
    }
    try {
      Path dest = catalog.filesDir().resolve(ref.relativeFile()).normalize();
      if (ref instanceof ModelReference.Demo) {
        generateDemo(dest, job);
      } else {
        URI url = ref instanceof ModelReference.HuggingFace hf ? hf.url()
            : ((ModelReference.Url) ref).url();
        Gate.Permit slot = downloads.enter(job);
        try {
          job.narrate("model_download").hiveId(catalog.hiveId()).model(id)
              .human("Downloading {} to {}", url, dest).emit();
          downloader.download(url, dest, job, id);
        } finally {
          slot.close();
        }
      }
      ModelInfo info = catalog.add(id, ref.source(), dest);
      long ms = (System.nanoTime() - start) / 1_000_000;
      job.narrate("model_download_done").hiveId(catalog.hiveId())
          .model(id).durationMs(ms)
          .human("Model {} ready: {} in {} s ({}, {} parameters)", id,
              ByteSize.format(info.sizeBytes()), String.format("%.1f", ms / 1000.0),
              info.architecture(), info.parameterCount())
          .emit();
      job.result(info);
    } finally {
      downloading.remove(id);
    }
  }

  /** Result: every model of the catalog (a JSON array), sorted by id. */
  public void list(Operation.ModelList op, JobContext job) {
    List<ModelInfo> models = catalog.list();
    String human = models.isEmpty()
        ? "No models on hive " + catalog.hiveId() + "; try: rbee model download demo"
        : models.size() + " model(s) on hive " + catalog.hiveId();
    job.narrate("model_list").hiveId(catalog.hiveId()).human(human).emit();
    job.result(models);
  }

  /** Result: the model's ModelInfo; unknown → {@code model_not_found} naming those that exist. */
  public void get(Operation.ModelGet op, JobContext job) {
    ModelInfo info = require(op.model());
    job.narrate("model_get").hiveId(catalog.hiveId()).model(info.id())
        .human("Model {}: {}, {}", info.id(), ByteSize.format(info.sizeBytes()), info.path())
        .emit();
    job.result(info);
  }

  /**
   * Removes the model and its file; result: the removed ModelInfo. Refused with
   * {@code model_in_use} while a worker has it.
   */
  public void delete(Operation.ModelDelete op, JobContext job) {
    ModelInfo info = require(op.model());
    if (inUse.test(info.id())) {
      throw new OperationException(ErrorKind.MODEL_IN_USE, "model " + info.id() + " is in use by"
          + " workers on hive " + catalog.hiveId() + "; kill them first (rbee worker list,"
          + " then rbee worker kill <worker-id>), then delete the model");
    }
    ModelInfo removed = catalog.remove(info.id()).orElseThrow(() -> notFound(info.id()));
    job.narrate("model_delete").hiveId(catalog.hiveId()).model(info.id())
        .human("Deleted model {} ({} freed)", info.id(), ByteSize.format(info.sizeBytes()))
        .emit();
    job.result(removed);
  }

  private ModelInfo require(String id) {
    return catalog.find(id).orElseThrow(() -> notFound(id));
  }

  private OperationException notFound(String id) {
    List<ModelInfo> models = catalog.list();
    String known = models.isEmpty() ? "the catalog is empty"
        : "models here: " + models.stream().map(ModelInfo::id).collect(Collectors.joining(", "));
    return new OperationException(ErrorKind.MODEL_NOT_FOUND, "no model \"" + id + "\" on hive "
        + catalog.hiveId() + " (" + known + "); download it with: rbee model download " + id);
  }

  private void generateDemo(Path dest, JobContext job) {
    job.narrate("model_demo_generate").hiveId(catalog.hiveId())
        .model(DemoModel.ID)
        .human("Generating the demo model locally: random weights, not trained (it babbles);"
            + " nothing is downloaded")
        .emit();
    Path tmp = dest.resolveSibling(dest.getFileName() + ".part");
    try {
      Files.createDirectories(dest.getParent());
      DemoModel.write(tmp);
      Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new OperationException(ErrorKind.DOWNLOAD_FAILED,
          "could not write the demo model to " + dest + ": " + e.getMessage(), e);
    }
  }

  private static String describe(ModelReference ref) {
    if (ref instanceof ModelReference.HuggingFace hf) {
      return "Hugging Face file " + hf.url();
    }
    if (ref instanceof ModelReference.Url u) {
      return "URL " + u.url() + " (id " + u.id() + ")";
    }
    return "the built-in demo model (generated on this hive)";
  }
}
