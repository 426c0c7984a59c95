package io.rbee.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {
  static final TinyLlama.Spec SMALL = new TinyLlama.Spec(16, 2, 1, 2, 32, 512,
      List.of("the", "cat", "sat", "."), 7, "small test model");

  @TempDir Path dir;

  @Test
  void writtenModelReadsBackWithItsMetadataAndTensors() throws Exception {
    Path file = dir.resolve("small.gguf");
    TinyLlama.write(file, SMALL);

    GgufFile g = GgufFile.read(file);

    assertThat(g.version()).isEqualTo(3);
    assertThat(g.architecture()).isEqualTo("llama");
    assertThat(g.name()).isEqualTo("small test model");
    assertThat(g.contextLength()).isEqualTo(512L);
    assertThat(g.fileSize()).isEqualTo(Files.size(file));
    assertThat(g.metadata().get("llama.embedding_length")).isEqualTo(16L);
    assertThat(g.metadata().get("llama.rope.freq_base")).isEqualTo(10000f);
    assertThat(g.metadata().get("tokenizer.ggml.add_bos_token")).isEqualTo(true);
    List<Object> tokens = List.copyOf(g.array("tokenizer.ggml.tokens"));
    assertThat(tokens.subList(0, 4)).containsExactly("<unk>", "<s>", "</s>", (Object) "<0x00>");
    assertThat(tokens).contains("\u2581the", "the", "<0xFF>", (Object) ".")
        .doesNotContain((Object) "\u2581.");
    assertThat(g.array("tokenizer.ggml.token_type")).hasSize(tokens.size());
    assertThat(g.array("tokenizer.ggml.scores")).hasSize(tokens.size());
    // 2 norms per layer + output norm, 7 matrices per layer, embeddings
    assertThat(g.tensors()).hasSize(1 + 1 + 2 * 9);
    TensorInfo embd = g.tensors().get(0);
    assertThat(embd.name()).isEqualTo("token_embd.weight");
    assertThat(embd.dims()).containsExactly(16L, (long) tokens.size());
    assertThat(embd.typeName()).isEqualTo("F32");
    TensorInfo k = g.tensors().stream().filter(t -> t.name().equals("blk.1.attn_k.weight"))
        .findFirst().orElseThrow();
    assertThat(k.dims()).containsExactly(16L, 8L); // head_dim 8 x 1 kv head
    long expected = 16L * tokens.size() + 16 + 2 * (2 * 16 + 16 * 16 * 2 + 16 * 8 * 2
        + 3 * 16 * 32);
    assertThat(g.parameterCount()).isEqualTo(expected);
    long lastEnd = g.tensors().stream().mapToLong(t -> g.dataOffset() + t.offset()
        + t.byteSize()).max().orElseThrow();
    assertThat(lastEnd).isLessThanOrEqualTo(g.fileSize());
    assertThat(g.dataOffset() % 32).isZero();
  }

  @Test
  void htmlPageIsNotAGgufFile() throws Exception {
    Path file = dir.resolve("page.gguf");
    Files.writeString(file, "<html><body>404</body></html>");

    assertThatThrownBy(() -> GgufFile.read(file))
        .isInstanceOf(InvalidGgufException.class)
        .hasMessage(file + " is not a GGUF file (starts with 3c68746d, expected 'GGUF')");
  }

  @Test
  void emptyAndMissingFilesSayWhatIsWrong() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.gguf"));
    assertThatThrownBy(() -> GgufFile.read(empty))
        .hasMessage(empty + " is not a GGUF file (it has only 0 bytes, expected 'GGUF' at the"
            + " start)");
    Path missing = dir.resolve("missing.gguf");
    assertThatThrownBy(() -> GgufFile.read(missing)).hasMessage(missing + " does not exist");
  }

  @Test
  void fileCutInTheDataSectionNamesTheTensorThatDoesNotFit() throws Exception {
    Path file = dir.resolve("cut.gguf");
    TinyLlama.write(file, SMALL);
    GgufFile whole = GgufFile.read(file);
    long cut = whole.fileSize() - 100;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(cut);
    }
    TensorInfo last = whole.tensors().get(whole.tensors().size() - 1);
    long end = whole.dataOffset() + last.offset() + last.byteSize();

    assertThatThrownBy(() -> GgufFile.read(file))
        .isInstanceOf(InvalidGgufException.class)
        .hasMessage(file + " is truncated: tensor " + last.name() + " ends at byte " + end
            + " but the file has " + cut);
  }

  @Test
  void fileCutInTheHeaderIsReportedTruncated() throws Exception {
    Path file = dir.resolve("cut.gguf");
    TinyLlama.write(file, SMALL);
    byte[] whole = Files.readAllBytes(file);
    for (int cut : new int[] {30, 300, 2000, 6000}) {
      Files.write(file, Arrays.copyOf(whole, cut));

      assertThatThrownBy(() -> GgufFile.read(file))
          .isInstanceOf(InvalidGgufException.class)
          .hasMessageStartingWith(file + " is truncated");
    }
  }

  @Test
  void unsupportedVersionIsNamed() throws Exception {
    Path file = dir.resolve("v1.gguf");
    Files.write(file, header(1, 0, 0).array());

    assertThatThrownBy(() -> GgufFile.read(file))
        .hasMessage(file + " has GGUF version 1, which is not supported (expected 2 or 3,"
            + " little-endian)");
  }

  @Test
  void readsOnlyTheHeaderOfAMultiGigabyteFile() throws Exception {
    // one f32 tensor of 2^30 elements (4 GiB) in a sparse file: only the header is read
    Path file = dir.resolve("big.gguf");
    ByteBuffer b = header(3, 1, 0);
    byte[] name = "big.weight".getBytes(StandardCharsets.UTF_8);
    b.putLong(name.length).put(name).putInt(1).putLong(1L << 30).putInt(0).putLong(0);
    long dataOffset = (b.position() + 31) / 32 * 32;
    Files.write(file, Arrays.copyOf(b.array(), b.position()));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(dataOffset + (4L << 30));
    }

    GgufFile g = GgufFile.read(file);

    assertThat(g.version()).isEqualTo(3);
    assertThat(g.tensors()).singleElement()
        .satisfies(t -> assertThat(t.byteSize()).isEqualTo(4L << 30));
    assertThat(g.parameterCount()).isEqualTo(1L << 30);
    assertThat(g.architecture()).isNull();
    assertThat(g.contextLength()).isNull();
  }

  @Test
  void absurdStringLengthIsReportedCorruptInsteadOfExhaustingMemory() throws Exception {
    Path file = dir.resolve("corrupt.gguf");
    ByteBuffer b = header(3, 0, 1).putLong(1L << 30); // a 1 GiB key
    Files.write(file, Arrays.copyOf(b.array(), b.position()));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(2L << 30);
    }

    assertThatThrownBy(() -> GgufFile.read(file))
        .hasMessage(file + " is corrupt: metadata entry 0 claims a string of 1073741824 bytes");
  }

  @Test
  void demoModelIsByteIdenticalAcrossWrites() throws IOException, InvalidGgufException {
    Path a = dir.resolve("a").resolve(DemoModel.FILE_NAME);
    Path b = dir.resolve("b").resolve(DemoModel.FILE_NAME);
    DemoModel.write(a);
    DemoModel.write(b);

    assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
    GgufFile g = GgufFile.read(a);
    assertThat(g.name()).isEqualTo("rbee demo model (random weights, not trained)");
    assertThat(g.metadata().get("llama.embedding_length")).isEqualTo(64L);
    assertThat(g.metadata().get("llama.block_count")).isEqualTo(2L);
    assertThat(g.metadata().get(TinyLlama.RANDOM_WEIGHTS_KEY)).isEqualTo(true);
    assertThat(g.string(TinyLlama.CHAT_TEMPLATE_KEY)).isEqualTo(TinyLlama.CHATML_TEMPLATE)
        .contains("<|im_start|>", "add_generation_prompt");
    assertThat(g.fileSize()).isBetween(300_000L, 900_000L);
    LlamaSafety.check(g);
  }

  private static ByteBuffer header(int version, long tensors, long kvs) {
    ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    b.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(version).putLong(tensors)
        .putLong(kvs);
    return b;
  }
}
