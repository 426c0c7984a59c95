package io.rbee.narration;

/**
 * Edits a relayed narration's JSON text without parsing it: a relay passes tens of thousands of
 * narrations a second and needs to change only two top-level fields, {@code job_id} (re-homed
 * to the local job) and {@code hive_id} (filled in when absent).
 *
 * <p>The fast path relies on what is true of valid JSON: the characters {@code "job_id":"}
 * (quote, key, quote, colon, quote) can only be a key, never part of a string value, where a
 * quote is always escaped. Each method returns null when the text is not in the shape it
 * expects (no such key, an escaped or non-string value, a key twice); the caller then parses
 * it the slow way. Ids are written JSON-escaped.
 */
public final class NarrationJson {
  private static final String JOB_ID = "\"job_id\":\"";
  private static final String HIVE_ID = "\"hive_id\":";
  private static final String ERROR_KIND = "\"error_kind\":\"";

  private NarrationJson() {}

  /** {@code json} with its {@code job_id} set to {@code jobId}, or null (see the class). */
  public static String withJobId(String json, String jobId) {
    int key = json.indexOf(JOB_ID);
    if (key < 0 || json.indexOf(JOB_ID, key + 1) >= 0) {
      return null;
    }
    int from = key + JOB_ID.length();
    int to = plainStringEnd(json, from);
    if (to < 0) {
      return null;
    }
    String quoted = quote(jobId);
    return new StringBuilder(json.length() + quoted.length())
        .append(json, 0, from - 1).append(quoted).append(json, to + 1, json.length())
        .toString();
  }

  /**
   * {@code json} with {@code "hive_id": hiveId} added when it has none (as it is otherwise), or
   * null when it is not a JSON object.
   */
  public static String withDefaultHiveId(String json, String hiveId) {
    if (hiveId == null || json.contains(HIVE_ID)) {
      return json;
    }
    int close = json.lastIndexOf('}');
    if (!json.startsWith("{") || close < 0) {
      return null;
    }
    String sep = json.substring(1, close).isBlank() ? "" : ",";
    String quoted = quote(hiveId);
    return new StringBuilder(json.length() + HIVE_ID.length() + quoted.length() + 1)
        .append(json, 0, close).append(sep).append(HIVE_ID).append(quoted)
        .append(json, close, json.length()).toString();
  }

  /** The {@code error_kind} of {@code json}, or null when it has none (or not plainly). */
  public static String errorKind(String json) {
    int key = json.indexOf(ERROR_KIND);
    if (key < 0) {
      return null;
    }
    int from = key + ERROR_KIND.length();
    int to = plainStringEnd(json, from);
    return to < 0 ? null : json.substring(from, to);
  }

  /** The index of the quote that ends a string value starting at {@code from} with no escapes. */
  private static int plainStringEnd(String json, int from) {
    for (int i = from; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '"') {
        return i;
      }
      if (c == '\\') {
        return -1;
      }
    }
    return -1;
  }

  /**
   * {@code value} as a JSON string: ids are plain printable ASCII, quoted as they are; anything
   * else goes through the JSON writer.
   */
  private static String quote(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return Json.write(value);
      }
    }
    return '"' + value + '"';
  }
}
