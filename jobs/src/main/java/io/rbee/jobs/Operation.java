package io.rbee.jobs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.rbee.jobs.limits.LlamaThreads;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every operation a job can run, externally tagged on the wire:
 * {@code {"WorkerSpawn": {"hive_id": "localhost", "model": "m", "device": "cpu"}}}.
 *
 * <p>Which daemon runs an operation is part of its type: {@link OnQueen} (run by the queen),
 * {@link OnHive} (run by a hive; the queen forwards it) and {@link OnWorker} (run by a worker;
 * the queen schedules it). {@link Daemon} says what each daemon accepts. Dispatchers switch
 * over these sealed types, so an operation added here is handled everywhere or refused by the
 * compiler. {@link #NAMES} and the {@code @JsonSubTypes} list below are checked against the
 * sealed hierarchy by {@code OperationContractTest}.
 *
 * <p>Each record validates what it can know on its own ({@link #validate()}); defaults (hive
 * {@code localhost}, device {@code cpu}, sampling parameters) are applied by the accessors
 * documented on each record, never by the caller.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
@JsonSubTypes({
  @JsonSubTypes.Type(Operation.Status.class),
  @JsonSubTypes.Type(Operation.QueenCheck.class),
  @JsonSubTypes.Type(Operation.HiveStart.class),
  @JsonSubTypes.Type(Operation.HiveStop.class),
  @JsonSubTypes.Type(Operation.HiveStatus.class),
  @JsonSubTypes.Type(Operation.HiveList.class),
  @JsonSubTypes.Type(Operation.HiveInstall.class),
  @JsonSubTypes.Type(Operation.HiveUninstall.class),
  @JsonSubTypes.Type(Operation.HiveCheck.class),
  @JsonSubTypes.Type(Operation.WorkerSpawn.class),
  @JsonSubTypes.Type(Operation.WorkerList.class),
  @JsonSubTypes.Type(Operation.WorkerGet.class),
  @JsonSubTypes.Type(Operation.WorkerKill.class),
  @JsonSubTypes.Type(Operation.ModelDownload.class),
  @JsonSubTypes.Type(Operation.ModelList.class),
  @JsonSubTypes.Type(Operation.ModelGet.class),
  @JsonSubTypes.Type(Operation.ModelDelete.class),
  @JsonSubTypes.Type(Operation.Infer.class),
  @JsonSubTypes.Type(Operation.Embed.class),
})
public sealed interface Operation permits Operation.OnQueen, Operation.OnHive,
    Operation.OnWorker {
  /** The hive every hive operation targets when it names none. */
  String DEFAULT_HIVE = "localhost";

  /**
   * Every operation record, derived from the sealed hierarchy: the queen's operations, then the
   * hive's, then the worker's, each in the order of its {@code permits} clause (the order of
   * the table in docs/API.md).
   */
  List<Class<? extends Operation>> TYPES = OperationTypes.leaves(Operation.class);

  /** Every operation's wire name, in {@link #TYPES} order. */
  List<String> NAMES = TYPES.stream().map(OperationTypes::wireName).toList();

  /** The operation's wire name ({@code "WorkerSpawn"}). */
  @JsonIgnore
  default String name() {
    return OperationTypes.wireName(getClass());
  }

  /** The wire name of operation record {@code type} ({@code nameOf(Infer.class)}: "Infer"). */
  static String nameOf(Class<? extends Operation> type) {
    return OperationTypes.wireName(type);
  }

  /** Throws {@link InvalidOperationException} naming the bad field and value. */
  default void validate() {}

  /** An operation the queen runs itself. */
  sealed interface OnQueen extends Operation
      permits Status, QueenCheck, HiveStart, HiveStop, HiveStatus, HiveList, HiveInstall,
          HiveUninstall {}

  /** An operation addressed to one hive (forwarded by the queen to that hive). */
  sealed interface OnHive extends Operation
      permits HiveCheck, WorkerSpawn, WorkerList, WorkerGet, WorkerKill, ModelDownload,
          ModelList, ModelGet, ModelDelete {
    /** The hive this operation targets; {@link #DEFAULT_HIVE} when the request named none. */
    String hiveId();
  }

  /**
   * An operation a worker runs (the queen schedules it onto a worker that has {@link #model()},
   * spawning one when none has).
   */
  sealed interface OnWorker extends Operation permits Infer, Embed {
    /** The model the worker must have loaded. */
    String model();

    /** The hive to run on; null lets the queen choose. */
    String hiveId();

    /**
     * How long the worker stays loaded after this request, as sent ({@link KeepAlive#parse});
     * null keeps the worker's own.
     */
    String keepAlive();

    /** {@link #keepAlive()} read; null when the request said nothing. */
    default KeepAlive keepAliveOrNull() {
      return keepAlive() == null ? null : KeepAlive.parse(keepAlive());
    }
  }

  @JsonTypeName("Status")
  record Status() implements OnQueen {}

  @JsonTypeName("QueenCheck")
  record QueenCheck() implements OnQueen {}

  @JsonTypeName("HiveCheck")
  record HiveCheck(String hiveId) implements OnHive {
    public HiveCheck {
      hiveId = orDefaultHive(hiveId);
    }
  }

  /**
   * Starts a hive daemon: {@code localhost} as a process of this machine, an SSH host alias over
   * SSH (installed first with {@link HiveInstall}); {@code port} null means the alias's
   * {@code HivePort}, else the default 9000.
   */
  @JsonTypeName("HiveStart")
  record HiveStart(String hiveId, Integer port) implements OnQueen {
    public HiveStart {
      hiveId = orDefaultHive(hiveId);
    }

    @Override
    public void validate() {
      if (port != null && (port < 1 || port > 65535)) {
        throw new InvalidOperationException("port must be 1..65535, got " + port);
      }
    }
  }

  @JsonTypeName("HiveStop")
  record HiveStop(String hiveId) implements OnQueen {
    public HiveStop {
      hiveId = orDefaultHive(hiveId);
    }
  }

  @JsonTypeName("HiveStatus")
  record HiveStatus(String hiveId) implements OnQueen {
    public HiveStatus {
      hiveId = orDefaultHive(hiveId);
    }
  }

  @JsonTypeName("HiveList")
  record HiveList() implements OnQueen {}

  /**
   * Copies the hive distribution to the machine of SSH host alias {@code hive_id} (only files
   * whose checksum changed) after checking its Java; {@code accept_host_key} true adds a host
   * key that is not yet in known_hosts (never one that changed).
   */
  @JsonTypeName("HiveInstall")
  record HiveInstall(String hiveId, Boolean acceptHostKey) implements OnQueen {
    public HiveInstall {
      acceptHostKey = acceptHostKey != null && acceptHostKey;
    }

    @Override
    public void validate() {
      requireHiveAlias(hiveId);
    }
  }

  /**
   * Removes what {@link HiveInstall} and {@link HiveStart} put on the machine of SSH host alias
   * {@code hive_id}; its models too only when {@code remove_models} is true.
   */
  @JsonTypeName("HiveUninstall")
  record HiveUninstall(String hiveId, Boolean removeModels) implements OnQueen {
    public HiveUninstall {
      removeModels = removeModels != null && removeModels;
    }

    @Override
    public void validate() {
      requireHiveAlias(hiveId);
    }
  }

  /**
   * Spawns a worker for {@code model} on {@code device} ({@code cpu} or {@code cuda:N}) that
   * computes with {@code threads} CPU threads (1..256; null: the hive's default).
   */
  @JsonTypeName("WorkerSpawn")
  record WorkerSpawn(String hiveId, String model, String device, Integer threads)
      implements OnHive {
    public WorkerSpawn {
      hiveId = orDefaultHive(hiveId);
      device = device == null || device.isBlank() ? "cpu" : device;
    }

    /** A spawn with the hive's default thread count. */
    public WorkerSpawn(String hiveId, String model, String device) {
      this(hiveId, model, device, null);
    }

    @Override
    public void validate() {
      requireText("model", model);
      if (!device.equals("cpu") && !device.matches("cuda:\\d{1,2}")) {
        throw new InvalidOperationException(
            "device must be \"cpu\" or \"cuda:N\" (N = GPU index), got \"" + device + "\"");
      }
      if (threads != null
          && (threads < LlamaThreads.MIN || threads > LlamaThreads.MAX)) {
        throw new InvalidOperationException("threads must be " + LlamaThreads.MIN + ".."
            + LlamaThreads.MAX + ", got " + threads);
      }
    }
  }

  @JsonTypeName("WorkerList")
  record WorkerList(String hiveId) implements OnHive {
    public WorkerList {
      hiveId = orDefaultHive(hiveId);
    }
  }

  @JsonTypeName("WorkerGet")
  record WorkerGet(String hiveId, String workerId) implements OnHive {
    public WorkerGet {
      hiveId = orDefaultHive(hiveId);
    }

    @Override
    public void validate() {
      requireText("worker_id", workerId);
    }
  }

  @JsonTypeName("WorkerKill")
  record WorkerKill(String hiveId, String workerId) implements OnHive {
    public WorkerKill {
      hiveId = orDefaultHive(hiveId);
    }

    @Override
    public void validate() {
      requireText("worker_id", workerId);
    }
  }

  /**
   * Downloads a model into the hive's catalog: {@code org/repo:file.gguf} (Hugging Face), an
   * {@code http(s)://} URL of a GGUF file, or {@code demo} for the generated demo model.
   */
  @JsonTypeName("ModelDownload")
  record ModelDownload(String hiveId, String model) implements OnHive {
    public ModelDownload {
      hiveId = orDefaultHive(hiveId);
    }

    @Override
    public void validate() {
      requireText("model", model);
    }
  }

  @JsonTypeName("ModelList")
  record ModelList(String hiveId) implements OnHive {
    public ModelList {
      hiveId = orDefaultHive(hiveId);
    }
  }

  @JsonTypeName("ModelGet")
  record ModelGet(String hiveId, String model) implements OnHive {
    public ModelGet {
      hiveId = orDefaultHive(hiveId);
    }

    @Override
    public void validate() {
      requireText("model", model);
    }
  }

  @JsonTypeName("ModelDelete")
  record ModelDelete(String hiveId, String model) implements OnHive {
    public ModelDelete {
      hiveId = orDefaultHive(hiveId);
    }

    @Override
    public void validate() {
      requireText("model", model);
    }
  }

  /**
   * A completion by a worker that has {@code model}: of {@code prompt} as it is (raw), or of
   * {@code messages} put into a prompt by the model's own chat template; exactly one of the
   * two. {@code hive_id} is optional: null lets the queen choose. {@code keep_alive}: see
   * {@link KeepAlive}. Defaults: max_tokens 128, temperature 0.8, top_p 0.95, top_k 40, seed
   * random, no stop strings, the worker's keep-alive.
   */
  @JsonTypeName("Infer")
  record Infer(
      String hiveId,
      String model,
      String prompt,
      Integer maxTokens,
      Double temperature,
      Double topP,
      Integer topK,
      Long seed,
      List<String> stop,
      List<ChatMessage> messages,
      @JsonDeserialize(using = KeepAlive.WireText.class) String keepAlive)
      implements OnWorker {
    public static final int MAX_TOKENS_LIMIT = 32_768;

    public Infer {
      maxTokens = maxTokens == null ? 128 : maxTokens;
      temperature = temperature == null ? 0.8 : temperature;
      topP = topP == null ? 0.95 : topP;
      topK = topK == null ? 40 : topK;
      stop = stop == null ? List.of() : List.copyOf(stop);
      messages = messages == null ? null : List.copyOf(messages);
    }

    /** A raw completion of {@code prompt} with the worker's keep-alive. */
    public Infer(String hiveId, String model, String prompt, Integer maxTokens,
        Double temperature, Double topP, Integer topK, Long seed, List<String> stop) {
      this(hiveId, model, prompt, maxTokens, temperature, topP, topK, seed, stop, null, null);
    }

    /** True when the prompt is built from {@link #messages()} by the chat template. */
    @JsonIgnore
    public boolean chat() {
      return messages != null;
    }

    /** The same request with {@code keep_alive} set to {@code value}. */
    public Infer withKeepAlive(String value) {
      return new Infer(hiveId, model, prompt, maxTokens, temperature, topP, topK, seed, stop,
          messages, value);
    }

    @Override
    public void validate() {
      requireText("model", model);
      if (messages == null) {
        if (prompt == null || prompt.isEmpty()) {
          throw new InvalidOperationException("prompt must be a non-empty string (or give"
              + " messages instead, for a chat)");
        }
      } else {
        if (prompt != null) {
          throw new InvalidOperationException(
              "give either prompt (a raw completion) or messages (a chat), not both");
        }
        if (messages.isEmpty()) {
          throw new InvalidOperationException("messages must hold at least one message");
        }
        for (int i = 0; i < messages.size(); i++) {
          if (messages.get(i) == null) {
            throw new InvalidOperationException("messages[" + i + "] is null");
          }
          messages.get(i).validate(i);
        }
      }
      if (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT) {
        throw new InvalidOperationException(
            "max_tokens must be 1.." + MAX_TOKENS_LIMIT + ", got " + maxTokens);
      }
      if (temperature < 0 || temperature > 2 || temperature.isNaN()) {
        throw new InvalidOperationException("temperature must be 0..2, got " + temperature);
      }
      if (!(topP > 0 && topP <= 1)) {
        throw new InvalidOperationException("top_p must be in (0, 1], got " + topP);
      }
      if (topK < 0) {
        throw new InvalidOperationException("top_k must be >= 0 (0 = off), got " + topK);
      }
      for (String s : stop) {
        if (s == null || s.isEmpty()) {
          throw new InvalidOperationException("stop strings must be non-empty");
        }
      }
      keepAliveOrNull();
    }
  }

  /**
   * Embeds each of {@code input} with a worker that has {@code model} (llama.cpp's embedding
   * mode, the model's own pooling); the job's result is {@link Embeddings}. {@code hive_id}
   * and {@code keep_alive} as for {@link Infer}.
   */
  @JsonTypeName("Embed")
  record Embed(String hiveId, String model, List<String> input,
      @JsonDeserialize(using = KeepAlive.WireText.class) String keepAlive)
      implements OnWorker {
    /** Inputs one request may embed. */
    public static final int MAX_INPUTS = 2048;

    public Embed {
      input = input == null ? null : Collections.unmodifiableList(new ArrayList<>(input));
    }

    @Override
    public void validate() {
      requireText("model", model);
      if (input == null || input.isEmpty()) {
        throw new InvalidOperationException("input must hold at least one string");
      }
      if (input.size() > MAX_INPUTS) {
        throw new InvalidOperationException("input holds " + input.size()
            + " strings; at most " + MAX_INPUTS + " per request");
      }
      for (int i = 0; i < input.size(); i++) {
        if (input.get(i) == null || input.get(i).isEmpty()) {
          throw new InvalidOperationException("input[" + i + "] must be a non-empty string");
        }
      }
      keepAliveOrNull();
    }
  }

  private static String orDefaultHive(String hiveId) {
    return hiveId == null || hiveId.isBlank() ? DEFAULT_HIVE : hiveId;
  }

  /** An SSH host alias that is also a hive id: it becomes part of URLs and file names. */
  private static void requireHiveAlias(String hiveId) {
    requireText("hive_id", hiveId);
    if (!Ids.valid(hiveId)) {
      throw new InvalidOperationException("hive_id must be an SSH host alias of 1-128 of"
          + " A-Z a-z 0-9 . _ : - (not starting with '.'), got \"" + hiveId.replaceAll(
              "\\p{Cntrl}", "?") + "\"");
    }
  }

  private static void requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidOperationException(field + " is required (a non-empty string)");
    }
  }
}
