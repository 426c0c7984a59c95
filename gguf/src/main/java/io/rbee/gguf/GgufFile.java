package io.rbee.gguf;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The header of a GGUF (v2 or v3) model file: its metadata and tensor index, read without
 * reading tensor data, so it is quick on multi-gigabyte files. Immutable; safe to share.
 *
 * <p>{@link #read} also checks that every tensor's data lies inside the file, so a partial
 * download is reported as truncated instead of failing later inside llama.cpp.
 */
public final class GgufFile {
  private final Path path;
  private final long fileSize;
  private final int version;
  private final Map<String, Object> metadata;
  private final List<TensorInfo> tensors;
  private final int alignment;
  private final long dataOffset;

  GgufFile(Path path, long fileSize, int version, Map<String, Object> metadata,
      List<TensorInfo> tensors, int alignment, long dataOffset) {
    this.path = path;
    this.fileSize = fileSize;
    this.version = version;
    this.metadata = metadata;
    this.tensors = tensors;
    this.alignment = alignment;
    this.dataOffset = dataOffset;
  }

  /**
   * Reads the header of {@code path}.
   *
   * @throws InvalidGgufException when the file is missing, unreadable, not GGUF, of an
   *     unsupported version, corrupt, or truncated; the message names the file and the problem
   */
  public static GgufFile read(Path path) throws InvalidGgufException {
    return GgufReader.read(path);
  }

  public Path path() {
    return path;
  }

  /** The file's size in bytes when it was read. */
  public long fileSize() {
    return fileSize;
  }

  /** The GGUF format version: 2 or 3. */
  public int version() {
    return version;
  }

  /** Every metadata key/value in file order; value types as documented on {@link GgufValueType}. */
  public Map<String, Object> metadata() {
    return metadata;
  }

  /** The tensor index in file order. */
  public List<TensorInfo> tensors() {
    return tensors;
  }

  /** The data alignment ({@code general.alignment}, 32 when absent). */
  public int alignment() {
    return alignment;
  }

  /** Where the tensor data section starts; tensor offsets are relative to it. */
  public long dataOffset() {
    return dataOffset;
  }

  /** {@code general.architecture} ({@code "llama"}, {@code "qwen2"}), or null when absent. */
  public String architecture() {
    return string("general.architecture");
  }

  /** {@code general.name}, or null when absent. */
  public String name() {
    return string("general.name");
  }

  /** The sum of all tensors' element counts. */
  public long parameterCount() {
    long n = 0;
    for (TensorInfo t : tensors) {
      n += t.elementCount();
    }
    return n;
  }

  /** {@code <architecture>.context_length}, or null when absent. */
  public Long contextLength() {
    String arch = architecture();
    return arch == null ? null : number(arch + ".context_length");
  }

  /** The string value of {@code key}, or null when absent or not a string. */
  public String string(String key) {
    return metadata.get(key) instanceof String s ? s : null;
  }

  /** The integer value of {@code key} (any integer type), or null when absent or not a number. */
  public Long number(String key) {
    Object v = metadata.get(key);
    return v instanceof Number n && !(v instanceof Float) && !(v instanceof Double)
        ? n.longValue() : null;
  }

  /** The array value of {@code key}, or null when absent or not an array. */
  public List<?> array(String key) {
    return metadata.get(key) instanceof List<?> l ? l : null;
  }

  @Override
  public String toString() {
    return "GgufFile[" + path + ", v" + version + ", " + architecture() + ", "
        + tensors.size() + " tensors]";
  }
}
