package io.rbee.gguf;

/**
 * The type tags of GGUF metadata values, with their ids in the file format.
 *
 * <p>How {@link GgufFile#metadata()} represents each: {@code UINT8, INT8, UINT16, INT16, INT32}
 * as {@link Integer}; {@code UINT32, INT64, UINT64} as {@link Long} (UINT64 above
 * {@code Long.MAX_VALUE} wraps); {@code FLOAT32} as {@link Float}; {@code FLOAT64} as
 * {@link Double}; {@code BOOL} as {@link Boolean}; {@code STRING} as {@link String} (UTF-8);
 * {@code ARRAY} as an unmodifiable {@link java.util.List} of those.
 */
public enum GgufValueType {
  UINT8(0, 1),
  INT8(1, 1),
  UINT16(2, 2),
  INT16(3, 2),
  UINT32(4, 4),
  INT32(5, 4),
  FLOAT32(6, 4),
  BOOL(7, 1),
  STRING(8, 8),
  ARRAY(9, 12),
  UINT64(10, 8),
  INT64(11, 8),
  FLOAT64(12, 8);

  private final int id;
  private final int minBytes;

  GgufValueType(int id, int minBytes) {
    this.id = id;
    this.minBytes = minBytes;
  }

  /** The id written in the file. */
  public int id() {
    return id;
  }

  /** The fewest bytes one value of this type takes in a file (a string's length prefix). */
  int minBytes() {
    return minBytes;
  }

  /** The type with file id {@code id}, or null when there is none. */
  public static GgufValueType byId(long id) {
    for (GgufValueType t : values()) {
      if (t.id == id) {
        return t;
      }
    }
    return null;
  }
}
