package io.rbee.gguf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SentencePiece-style vocabulary of a {@link TinyLlama} model, in token id order:
 * {@code <unk>}, {@code <s>}, {@code </s>}, the 256 byte tokens, the words (each also with the
 * {@code ▁} word-start prefix), then the pieces llama.cpp's tokenizer needs to merge its way up
 * to those words (it only joins two adjacent pieces when the result is itself a token).
 *
 * <p>Only {@code <s>}, {@code ▁}-words and punctuation are "spoken": the other tokens get a zero
 * embedding, so a random model (almost) never picks them and its output reads as whole words.
 */
final class TinyVocabulary {
  static final String WORD_START = "\u2581";
  static final int UNK = 0;
  static final int BOS = 1;
  static final int EOS = 2;
  static final int TYPE_NORMAL = 1;
  static final int TYPE_UNKNOWN = 2;
  static final int TYPE_CONTROL = 3;
  static final int TYPE_BYTE = 6;

  final List<String> tokens = new ArrayList<>();
  final List<Integer> types = new ArrayList<>();
  final List<Float> scores = new ArrayList<>();
  /** Whether each token gets a random embedding (true) or a zero one. */
  final List<Boolean> spoken = new ArrayList<>();
  private final Map<String, Integer> ids = new LinkedHashMap<>();

  TinyVocabulary(List<String> words) {
    add("<unk>", TYPE_UNKNOWN, false);
    add("<s>", TYPE_CONTROL, true);
    add("</s>", TYPE_CONTROL, false);
    for (int b = 0; b < 256; b++) {
      add(String.format("<0x%02X>", b), TYPE_BYTE, false);
    }
    List<String> pieces = new ArrayList<>();
    for (String raw : words) {
      String word = raw.replace(' ', WORD_START.charAt(0));
      if (word.isEmpty()) {
        throw new IllegalArgumentException("words must not be empty");
      }
      boolean startsWord = Character.isLetterOrDigit(word.codePointAt(0));
      if (startsWord) {
        add(WORD_START + word, TYPE_NORMAL, true);
        pieces.add(WORD_START + word);
      }
      // a bare word glues onto the previous one ("atatat"): keep it for the tokenizer, but
      // let only punctuation be spoken without a word start
      add(word, TYPE_NORMAL, !startsWord);
      pieces.add(word);
    }
    add(WORD_START, TYPE_NORMAL, false);
    for (String piece : pieces) {
      int[] cps = piece.codePoints().toArray();
      for (int len = 1; len < cps.length; len++) {
        add(new String(cps, 0, len), TYPE_NORMAL, false);
      }
      for (int cp : cps) {
        add(new String(Character.toChars(cp)), TYPE_NORMAL, false);
      }
    }
  }

  private void add(String token, int type, boolean isSpoken) {
    if (ids.containsKey(token)) {
      return;
    }
    ids.put(token, tokens.size());
    // earlier normal tokens win merges; llama.cpp ignores scores of specials and bytes
    scores.add(type == TYPE_NORMAL ? -(float) tokens.size() : 0f);
    tokens.add(token);
    types.add(type);
    spoken.add(isSpoken);
  }

  int size() {
    return tokens.size();
  }
}
