package io.rbee.gguf;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a GGUF v3 file with f32 tensors: metadata key/values in insertion order, the tensor
 * index, then the data, each tensor aligned to {@code general.alignment} (32 unless set).
 * The same calls always give the same bytes. Not thread-safe; build, then {@link #write}.
 */
public final class GgufWriter {
  private record Entry(GgufValueType type, GgufValueType elementType, Object value) {}

  private record Tensor(String name, long[] dims, float[] data) {}

  private final Map<String, Entry> metadata = new LinkedHashMap<>();
  private final List<Tensor> tensors = new ArrayList<>();

  public GgufWriter putString(String key, String value) {
    return put(key, new Entry(GgufValueType.STRING, null, value));
  }

  public GgufWriter putUInt32(String key, long value) {
    if (value < 0 || value > 0xffffffffL) {
      throw new IllegalArgumentException(key + " must fit UINT32, got " + value);
    }
    return put(key, new Entry(GgufValueType.UINT32, null, value));
  }

  public GgufWriter putInt32(String key, int value) {
    return put(key, new Entry(GgufValueType.INT32, null, value));
  }

  public GgufWriter putFloat32(String key, float value) {
    return put(key, new Entry(GgufValueType.FLOAT32, null, value));
  }

  public GgufWriter putBool(String key, boolean value) {
    return put(key, new Entry(GgufValueType.BOOL, null, value));
  }

  /** An array of strings, INT32s ({@link Integer}) or FLOAT32s ({@link Float}). */
  public GgufWriter putArray(String key, GgufValueType elementType, List<?> values) {
    if (elementType != GgufValueType.STRING && elementType != GgufValueType.INT32
        && elementType != GgufValueType.FLOAT32) {
      throw new IllegalArgumentException("arrays of " + elementType + " are not supported");
    }
    return put(key, new Entry(GgufValueType.ARRAY, elementType, List.copyOf(values)));
  }

  /** The value stored under {@code key} (arrays as an unmodifiable list), or null. */
  public Object get(String key) {
    Entry e = metadata.get(key);
    return e == null ? null : e.value();
  }

  public GgufWriter remove(String key) {
    metadata.remove(key);
    return this;
  }

  /** Adds an f32 tensor; {@code dims} in ggml order (contiguous first), data row-major. */
  public GgufWriter addTensor(String name, long[] dims, float[] data) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "tensor " + name + " has " + data.length + " values but dims need " + n);
    }
    tensors.add(new Tensor(name, dims.clone(), data));
    return this;
  }

  private GgufWriter put(String key, Entry entry) {
    metadata.put(key, entry);
    return this;
  }

  private int alignment() {
    Entry e = metadata.get("general.alignment");
    return e == null ? GgufReader.DEFAULT_ALIGNMENT : ((Number) e.value()).intValue();
  }

  /**
   * Writes the file: to a temporary sibling first, then moved into place, so a reader never
   * sees a half-written model.
   */
  public void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
    try {
      try (OutputStream os = Files.newOutputStream(tmp)) {
        writeTo(os);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes the GGUF bytes to {@code os} (not closed). */
  public void writeTo(OutputStream os) throws IOException {
    int alignment = alignment();
    LeOut out = new LeOut(new DataOutputStream(new BufferedOutputStream(os, 1 << 16)));
    out.i32(GgufReader.MAGIC);
    out.i32(3);
    out.i64(tensors.size());
    out.i64(metadata.size());
    for (Map.Entry<String, Entry> kv : metadata.entrySet()) {
      out.string(kv.getKey());
      Entry e = kv.getValue();
      out.i32(e.type().id());
      if (e.type() == GgufValueType.ARRAY) {
        List<?> values = (List<?>) e.value();
        out.i32(e.elementType().id());
        out.i64(values.size());
        for (Object v : values) {
          scalar(out, e.elementType(), v);
        }
      } else {
        scalar(out, e.type(), e.value());
      }
    }
    long offset = 0;
    for (Tensor t : tensors) {
      out.string(t.name());
      out.i32(t.dims().length);
      for (long d : t.dims()) {
        out.i64(d);
      }
      out.i32(GgmlType.F32.id());
      out.i64(offset);
      offset = align(offset + 4L * t.data().length, alignment);
    }
    out.pad(alignment);
    for (Tensor t : tensors) {
      for (float f : t.data()) {
        out.f32(f);
      }
      out.pad(alignment);
    }
    out.flush();
  }

  private static void scalar(LeOut out, GgufValueType type, Object v) throws IOException {
    switch (type) {
      case STRING -> out.string((String) v);
      case UINT32 -> out.i32((int) (long) (Long) v);
      case INT32 -> out.i32((Integer) v);
      case FLOAT32 -> out.f32((Float) v);
      case BOOL -> out.u8((Boolean) v ? 1 : 0);
      default -> throw new AssertionError(type);
    }
  }

  private static long align(long n, int alignment) {
    return (n + alignment - 1) / alignment * alignment;
  }

  /** Little-endian primitives over a stream, counting bytes for alignment padding. */
  private static final class LeOut {
    private final DataOutputStream out;
    private long written;

    LeOut(DataOutputStream out) {
      this.out = out;
    }

    void u8(int v) throws IOException {
      out.writeByte(v);
      written += 1;
    }

    void i32(int v) throws IOException {
      out.writeInt(Integer.reverseBytes(v));
      written += 4;
    }

    void i64(long v) throws IOException {
      out.writeLong(Long.reverseBytes(v));
      written += 8;
    }

    void f32(float v) throws IOException {
      i32(Float.floatToRawIntBits(v));
    }

    void string(String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      i64(b.length);
      out.write(b);
      written += b.length;
    }

    void pad(int alignment) throws IOException {
      while (written % alignment != 0) {
        u8(0);
      }
    }

    void flush() throws IOException {
      out.flush();
    }
  }
}
