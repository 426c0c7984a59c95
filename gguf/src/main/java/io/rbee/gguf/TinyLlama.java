package io.rbee.gguf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes small llama-architecture GGUF v3 models with seeded random f32 weights: they load and
 * generate in llama.cpp in milliseconds, which makes them the models of the demo and of tests.
 * The output is word salad from {@link Spec#words()}, never meaningful text.
 *
 * <p>The same spec always gives the same bytes. Files carry {@code rbee.random_weights = true}
 * so the worker knows to keep byte tokens (invalid UTF-8 on their own) out of the output, and
 * a ChatML {@code tokenizer.chat_template} ({@link #CHATML_TEMPLATE}) so chat requests use the
 * model's own template, as with a real model. The template only shapes prompts built from
 * chat messages: a raw prompt generates the same text with or without it.
 */
public final class TinyLlama {
  /** Metadata key marking a model whose weights are random (the worker cleans its output). */
  public static final String RANDOM_WEIGHTS_KEY = "rbee.random_weights";

  /** The metadata key of a model's Jinja chat template (llama.cpp applies it to messages). */
  public static final String CHAT_TEMPLATE_KEY = "tokenizer.chat_template";

  /**
   * The chat template tiny models carry: ChatML, each message as
   * {@code <|im_start|>role\ncontent<|im_end|>\n}, then {@code <|im_start|>assistant\n} when a
   * reply is wanted. (The vocabulary has no {@code <|im_start|>} token: the markers are spelled
   * with byte tokens, which is fine for word salad.)
   */
  public static final String CHATML_TEMPLATE = "{% for message in messages %}"
      + "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>'"
      + " + '\\n'}}{% endfor %}"
      + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

  /**
   * The shape of a tiny model: embedding width, attention heads (query and key/value), layers,
   * feed-forward width, trained context length, the words of its vocabulary, the weight seed
   * and its {@code general.name}.
   */
  public record Spec(int embd, int heads, int kvHeads, int layers, int ff, int contextLength,
      List<String> words, long seed, String name) {
    /** The demo model: about 600 KB, 200 common English words. */
    public static final Spec DEMO = new Spec(64, 4, 4, 2, 128, 2048, DemoWords.WORDS, 20241126L,
        "rbee demo model (random weights, not trained)");

    public Spec {
      words = List.copyOf(words);
      if (embd < 2 || heads < 1 || kvHeads < 1 || layers < 1 || ff < 1 || contextLength < 8) {
        throw new IllegalArgumentException("every size must be positive (embd >= 2,"
            + " context >= 8), got " + this);
      }
      if (embd % heads != 0 || (embd / heads) % 2 != 0) {
        throw new IllegalArgumentException("embd / heads must be a whole even number (llama.cpp"
            + " aborts otherwise), got " + embd + " / " + heads);
      }
      if (heads % kvHeads != 0) {
        throw new IllegalArgumentException(
            "heads must be a multiple of kvHeads, got " + heads + " and " + kvHeads);
      }
    }

    /** Same shape and words with another seed and name. */
    public Spec withSeed(long newSeed, String newName) {
      return new Spec(embd, heads, kvHeads, layers, ff, contextLength, words, newSeed, newName);
    }

    int headDim() {
      return embd / heads;
    }
  }

  /**
   * How much louder each layer speaks than the 1/sqrt(fan-in) default: with tied embeddings a
   * quiet model keeps predicting its last token ("the the the"); louder layers vary the words.
   */
  private static final float LAYER_GAIN = 8f;

  private TinyLlama() {}

  /** Writes the model of {@code spec} to {@code file} (replacing it atomically). */
  public static void write(Path file, Spec spec) throws IOException {
    writer(spec).write(file);
  }

  /**
   * A writer holding the model of {@code spec}, for tests that change metadata before writing
   * (a broken vocabulary, a missing key).
   */
  public static GgufWriter writer(Spec spec) {
    TinyVocabulary vocab = new TinyVocabulary(spec.words());
    GgufWriter w = new GgufWriter();
    w.putString("general.architecture", "llama");
    w.putString("general.name", spec.name());
    w.putUInt32("general.alignment", 32);
    w.putUInt32("general.file_type", 0); // all f32
    w.putBool(RANDOM_WEIGHTS_KEY, true);
    w.putUInt32("llama.context_length", spec.contextLength());
    w.putUInt32("llama.embedding_length", spec.embd());
    w.putUInt32("llama.block_count", spec.layers());
    w.putUInt32("llama.feed_forward_length", spec.ff());
    w.putUInt32("llama.attention.head_count", spec.heads());
    w.putUInt32("llama.attention.head_count_kv", spec.kvHeads());
    w.putUInt32("llama.rope.dimension_count", spec.headDim());
    w.putFloat32("llama.rope.freq_base", 10000f);
    w.putFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    w.putUInt32("llama.vocab_size", vocab.size());
    w.putString("tokenizer.ggml.model", "llama");
    w.putArray("tokenizer.ggml.tokens", GgufValueType.STRING, vocab.tokens);
    w.putArray("tokenizer.ggml.scores", GgufValueType.FLOAT32, vocab.scores);
    w.putArray("tokenizer.ggml.token_type", GgufValueType.INT32, vocab.types);
    w.putUInt32("tokenizer.ggml.unknown_token_id", TinyVocabulary.UNK);
    w.putUInt32("tokenizer.ggml.bos_token_id", TinyVocabulary.BOS);
    w.putUInt32("tokenizer.ggml.eos_token_id", TinyVocabulary.EOS);
    w.putBool("tokenizer.ggml.add_bos_token", true);
    w.putBool("tokenizer.ggml.add_eos_token", false);
    w.putString(CHAT_TEMPLATE_KEY, CHATML_TEMPLATE);
    addWeights(w, spec, vocab);
    return w;
  }

  private static void addWeights(GgufWriter w, Spec spec, TinyVocabulary vocab) {
    Random random = new Random(spec.seed());
    int embd = spec.embd();
    int kvDim = spec.headDim() * spec.kvHeads();
    int n = vocab.size();
    // tied output: logits are embeddings dotted with a unit-RMS state, so 0.5 gives logits of
    // a few units, enough to make greedy choices clear and sampling still varied
    float[] embeddings = new float[embd * n];
    for (int t = 0; t < n; t++) {
      if (vocab.spoken.get(t)) {
        for (int i = 0; i < embd; i++) {
          embeddings[t * embd + i] = (float) (random.nextGaussian() * 0.5);
        }
      }
    }
    w.addTensor("token_embd.weight", new long[] {embd, n}, embeddings);
    w.addTensor("output_norm.weight", new long[] {embd}, ones(embd));
    for (int l = 0; l < spec.layers(); l++) {
      String p = "blk." + l + ".";
      w.addTensor(p + "attn_norm.weight", new long[] {embd}, ones(embd));
      w.addTensor(p + "attn_q.weight", new long[] {embd, embd}, gaussian(random, embd, embd));
      w.addTensor(p + "attn_k.weight", new long[] {embd, kvDim}, gaussian(random, embd, kvDim));
      w.addTensor(p + "attn_v.weight", new long[] {embd, kvDim}, gaussian(random, embd, kvDim));
      w.addTensor(p + "attn_output.weight", new long[] {embd, embd},
          scaled(gaussian(random, embd, embd), LAYER_GAIN));
      w.addTensor(p + "ffn_norm.weight", new long[] {embd}, ones(embd));
      w.addTensor(p + "ffn_gate.weight", new long[] {embd, spec.ff()},
          gaussian(random, embd, spec.ff()));
      w.addTensor(p + "ffn_up.weight", new long[] {embd, spec.ff()},
          gaussian(random, embd, spec.ff()));
      w.addTensor(p + "ffn_down.weight", new long[] {spec.ff(), embd},
          scaled(gaussian(random, spec.ff(), embd), LAYER_GAIN));
    }
  }

  /** A {@code fanIn x fanOut} matrix with the usual 1/sqrt(fanIn) scale. */
  private static float[] gaussian(Random random, int fanIn, int fanOut) {
    float[] v = new float[fanIn * fanOut];
    double scale = 1 / Math.sqrt(fanIn);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextGaussian() * scale);
    }
    return v;
  }

  private static float[] scaled(float[] v, float factor) {
    for (int i = 0; i < v.length; i++) {
      v[i] *= factor;
    }
    return v;
  }

  private static float[] ones(int n) {
    float[] v = new float[n];
    java.util.Arrays.fill(v, 1f);
    return v;
  }
}
