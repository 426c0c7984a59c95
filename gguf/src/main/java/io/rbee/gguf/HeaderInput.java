package io.rbee.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Little-endian reads from the start of a file through a small window, so parsing the header of
 * a multi-gigabyte model touches only the header. Not thread-safe.
 */
final class HeaderInput {
  /** Thrown when the file ends before a value does; {@link GgufReader} turns it into a message. */
  static final class EndOfFile extends RuntimeException {
    EndOfFile() {
      super(null, null, false, false);
    }
  }

  /** Thrown for a string longer than any real model has: a corrupt length, not a big value. */
  static final class TooLong extends RuntimeException {
    final long length;

    TooLong(long length) {
      super(null, null, false, false);
      this.length = length;
    }
  }

  /** Longest string read (chat templates are the longest real ones, some kilobytes). */
  static final int MAX_STRING = 16 << 20;
  private static final int WINDOW = 1 << 20;

  private final FileChannel channel;
  private final long size;
  private final ByteBuffer buf = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
  private long bufStart;

  HeaderInput(FileChannel channel) throws IOException {
    this.channel = channel;
    this.size = channel.size();
    buf.limit(0);
  }

  long size() {
    return size;
  }

  /** The absolute position of the next byte to read. */
  long position() {
    return bufStart + buf.position();
  }

  long remaining() {
    return size - position();
  }

  private void need(int n) throws IOException {
    if (buf.remaining() >= n) {
      return;
    }
    if (remaining() < n) {
      throw new EndOfFile();
    }
    bufStart = position();
    buf.compact();
    while (buf.position() < n) {
      if (channel.read(buf, bufStart + buf.position()) < 0) {
        throw new EndOfFile();
      }
    }
    buf.flip();
  }

  int u8() throws IOException {
    need(1);
    return buf.get() & 0xff;
  }

  int i8() throws IOException {
    need(1);
    return buf.get();
  }

  int u16() throws IOException {
    need(2);
    return buf.getShort() & 0xffff;
  }

  int i16() throws IOException {
    need(2);
    return buf.getShort();
  }

  long u32() throws IOException {
    need(4);
    return buf.getInt() & 0xffffffffL;
  }

  int i32() throws IOException {
    need(4);
    return buf.getInt();
  }

  long i64() throws IOException {
    need(8);
    return buf.getLong();
  }

  float f32() throws IOException {
    need(4);
    return buf.getFloat();
  }

  double f64() throws IOException {
    need(8);
    return buf.getDouble();
  }

  /** A GGUF string: u64 byte length, then UTF-8 bytes. */
  String string() throws IOException {
    long len = i64();
    if (len < 0 || len > remaining()) {
      throw new EndOfFile();
    }
    if (len > MAX_STRING) {
      throw new TooLong(len);
    }
    byte[] bytes = new byte[(int) len];
    int off = 0;
    while (off < bytes.length) {
      need(1);
      int n = Math.min(buf.remaining(), bytes.length - off);
      buf.get(bytes, off, n);
      off += n;
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
