package io.rbee.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses the header of a GGUF file into a {@link GgufFile}; see {@link GgufFile#read}. */
final class GgufReader {
  static final int MAGIC = 0x46554747; // "GGUF" read little-endian
  static final int DEFAULT_ALIGNMENT = 32;
  private static final int MAX_DIMS = 4;
  /** Most elements read in one array (real vocabularies have a few hundred thousand). */
  private static final int MAX_ARRAY = 16 << 20;

  private final Path path;
  private String reading = "the header";

  private GgufReader(Path path) {
    this.path = path;
  }

  static GgufFile read(Path path) throws InvalidGgufException {
    return new GgufReader(path).read();
  }

  private GgufFile read() throws InvalidGgufException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      HeaderInput in = new HeaderInput(ch);
      try {
        return parse(in);
      } catch (HeaderInput.EndOfFile e) {
        throw new InvalidGgufException(path, "is truncated: the file ends (at byte " + in.size()
            + ") while reading " + reading);
      } catch (HeaderInput.TooLong e) {
        throw new InvalidGgufException(path, "is corrupt: " + reading + " claims a string of "
            + e.length + " bytes");
      }
    } catch (NoSuchFileException e) {
      throw new InvalidGgufException(path, "does not exist");
    } catch (IOException e) {
      throw new InvalidGgufException(path, "cannot be read: " + e, e);
    }
  }

  private GgufFile parse(HeaderInput in) throws IOException, InvalidGgufException {
    if (in.size() < 4) {
      throw new InvalidGgufException(path, "is not a GGUF file (it has only " + in.size()
          + " bytes, expected 'GGUF' at the start)");
    }
    int magic = in.i32();
    if (magic != MAGIC) {
      byte[] first = ByteBuffer.allocate(4).putInt(Integer.reverseBytes(magic)).array();
      throw new InvalidGgufException(path, "is not a GGUF file (starts with "
          + HexFormat.of().formatHex(first) + ", expected 'GGUF')");
    }
    long version = in.u32();
    if (version != 2 && version != 3) {
      throw new InvalidGgufException(path, "has GGUF version " + version
          + ", which is not supported (expected 2 or 3, little-endian)");
    }
    long tensorCount = in.i64();
    long kvCount = in.i64();
    // every tensor info and key/value takes at least 8 bytes: cheap guard against garbage counts
    if (tensorCount < 0 || kvCount < 0 || tensorCount + kvCount > in.remaining() / 8) {
      throw new InvalidGgufException(path, "is truncated or corrupt: its header claims "
          + tensorCount + " tensors and " + kvCount + " metadata entries, more than its "
          + in.size() + " bytes can hold");
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    for (long i = 0; i < kvCount; i++) {
      reading = "metadata entry " + i;
      String key = in.string();
      reading = "metadata value " + key;
      GgufValueType type = valueType(in.u32(), key);
      metadata.put(key, value(in, type, key));
    }
    int alignment = alignment(metadata.get("general.alignment"));
    List<TensorInfo> tensors = new ArrayList<>();
    for (long i = 0; i < tensorCount; i++) {
      reading = "tensor info " + i;
      tensors.add(tensorInfo(in));
    }
    long headerEnd = in.position();
    long dataOffset = (headerEnd + alignment - 1) / alignment * alignment;
    checkDataFits(tensors, dataOffset, in.size());
    return new GgufFile(path, in.size(), (int) version, Collections.unmodifiableMap(metadata),
        List.copyOf(tensors), alignment, dataOffset);
  }

  private TensorInfo tensorInfo(HeaderInput in) throws IOException, InvalidGgufException {
    String name = in.string();
    reading = "tensor info " + name;
    long nDims = in.u32();
    if (nDims > MAX_DIMS) {
      throw new InvalidGgufException(path, "is corrupt: tensor " + name + " has " + nDims
          + " dimensions (at most " + MAX_DIMS + ")");
    }
    List<Long> dims = new ArrayList<>();
    for (int d = 0; d < nDims; d++) {
      long dim = in.i64();
      if (dim < 0) {
        throw new InvalidGgufException(path, "is corrupt: tensor " + name
            + " has a negative dimension " + dim);
      }
      dims.add(dim);
    }
    int type = in.i32();
    long offset = in.i64();
    if (offset < 0) {
      throw new InvalidGgufException(path, "is corrupt: tensor " + name
          + " has a negative data offset " + offset);
    }
    TensorInfo t = new TensorInfo(name, dims, type, offset);
    try {
      t.elementCount();
    } catch (ArithmeticException e) {
      throw new InvalidGgufException(path, "is corrupt: tensor " + name + " has dimensions "
          + dims + " whose product overflows");
    }
    return t;
  }

  private void checkDataFits(List<TensorInfo> tensors, long dataOffset, long fileSize)
      throws InvalidGgufException {
    for (TensorInfo t : tensors) {
      long bytes = Math.max(t.byteSize(), 0); // unknown types: at least the start must exist
      long end = dataOffset + t.offset() + bytes;
      if (end > fileSize || end < 0) {
        throw new InvalidGgufException(path, "is truncated: tensor " + t.name()
            + " ends at byte " + end + " but the file has " + fileSize);
      }
    }
  }

  private int alignment(Object value) throws InvalidGgufException {
    if (value == null) {
      return DEFAULT_ALIGNMENT;
    }
    long a = value instanceof Number n ? n.longValue() : -1;
    if (a <= 0 || a > (1 << 20) || Long.bitCount(a) != 1) {
      throw new InvalidGgufException(path, "is corrupt: general.alignment must be a power of"
          + " two, got " + value);
    }
    return (int) a;
  }

  private GgufValueType valueType(long id, String key) throws InvalidGgufException {
    GgufValueType type = GgufValueType.byId(id);
    if (type == null) {
      throw new InvalidGgufException(path, "is corrupt: metadata " + key
          + " has unknown value type " + id);
    }
    return type;
  }

  private Object value(HeaderInput in, GgufValueType type, String key)
      throws IOException, InvalidGgufException {
    switch (type) {
      case UINT8: return in.u8();
      case INT8: return in.i8();
      case UINT16: return in.u16();
      case INT16: return in.i16();
      case UINT32: return in.u32();
      case INT32: return in.i32();
      case FLOAT32: return in.f32();
      case BOOL: return in.u8() != 0;
      case STRING: return in.string();
      case UINT64:
      case INT64: return in.i64();
      case FLOAT64: return in.f64();
      case ARRAY: return array(in, key);
      default: throw new AssertionError(type);
    }
  }

  private List<Object> array(HeaderInput in, String key) throws IOException, InvalidGgufException {
    GgufValueType elementType = valueType(in.u32(), key);
    long count = in.i64();
    if (count < 0 || count > in.remaining() / elementType.minBytes()) {
      throw new InvalidGgufException(path, "is truncated or corrupt: metadata " + key
          + " claims " + count + " elements, more than the rest of the file can hold");
    }
    if (count > MAX_ARRAY) {
      throw new InvalidGgufException(path, "is corrupt: metadata " + key + " claims " + count
          + " elements (at most " + MAX_ARRAY + " are read)");
    }
    List<Object> values = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      values.add(value(in, elementType, key));
    }
    return Collections.unmodifiableList(values);
  }
}
