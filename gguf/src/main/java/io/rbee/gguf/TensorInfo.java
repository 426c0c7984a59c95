package io.rbee.gguf;

import java.util.List;

/**
 * One entry of a GGUF file's tensor index. {@code dims} are in ggml order (the contiguous
 * dimension first); {@code type} is the ggml type id; {@code offset} is relative to the start
 * of the file's tensor data section.
 */
public record TensorInfo(String name, List<Long> dims, int type, long offset) {
  public TensorInfo {
    dims = List.copyOf(dims);
  }

  /** The product of the dimensions. */
  public long elementCount() {
    long n = 1;
    for (long d : dims) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** The ggml type's name ({@code "Q4_K"}), or {@code "type_<id>"} for a type not known here. */
  public String typeName() {
    GgmlType t = GgmlType.byId(type);
    return t == null ? "type_" + type : t.name();
  }

  /** Bytes of data this tensor takes, or -1 when its type is not known here. */
  public long byteSize() {
    GgmlType t = GgmlType.byId(type);
    return t == null ? -1 : t.bytesFor(elementCount());
  }
}
