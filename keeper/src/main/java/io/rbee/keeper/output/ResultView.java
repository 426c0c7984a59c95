package io.rbee.keeper.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.narration.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders a job's {@code result} for people: a list of objects (workers, models, hives) as an
 * aligned table, an object as {@code key: value} lines (its lists as indented tables, its
 * objects indented), anything else as pretty JSON. Fields named {@code *_bytes} are shown as
 * {@code 12.5 MiB}.
 */
public final class ResultView {
  private ResultView() {}

  /** Writes {@code json} readably to {@code out} (not flushed). */
  public static void render(String json, PrintWriter out) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(json);
    } catch (IOException e) {
      out.println(json);
      return;
    }
    if (node == null || node.isMissingNode()) {
      out.println(json);
    } else if (isTable(node)) {
      table(node, "", out);
    } else if (node.isArray()) {
      node.forEach(item -> out.println(cell(null, item)));
    } else if (node.isObject()) {
      object(node, "", out);
    } else {
      out.println(node.isTextual() ? node.asText() : node.toString());
    }
  }

  private static void object(JsonNode obj, String indent, PrintWriter out) {
    int width = 0;
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      width = Math.max(width, it.next().length());
    }
    for (Map.Entry<String, JsonNode> field : obj.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      String label = indent + key + ":";
      if (value.isArray() && value.isEmpty()) {
        out.println(label + " (none)");
      } else if (isTable(value)) {
        out.println(label);
        table(value, indent + "  ", out);
      } else if (value.isObject() && !value.isEmpty()) {
        out.println(label);
        object(value, indent + "  ", out);
      } else {
        out.println(label + " ".repeat(width - key.length() + 1) + cell(key, value));
      }
    }
  }

  private static void table(JsonNode rows, String indent, PrintWriter out) {
    Set<String> columns = new LinkedHashSet<>();
    rows.forEach(row -> row.fieldNames().forEachRemaining(columns::add));
    List<String> names = new ArrayList<>(columns);
    List<String[]> lines = new ArrayList<>();
    lines.add(names.stream().map(c -> c.toUpperCase(Locale.ROOT)).toArray(String[]::new));
    for (JsonNode row : rows) {
      lines.add(names.stream().map(c -> cell(c, row.get(c))).toArray(String[]::new));
    }
    int[] widths = new int[names.size()];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (String[] line : lines) {
      StringBuilder sb = new StringBuilder(indent);
      for (int i = 0; i < line.length; i++) {
        boolean last = i == line.length - 1;
        sb.append(last ? line[i] : line[i] + " ".repeat(widths[i] - line[i].length() + 2));
      }
      out.println(sb.toString().stripTrailing());
    }
  }

  /** A non-empty array whose items are all objects. */
  private static boolean isTable(JsonNode node) {
    if (!node.isArray() || node.isEmpty()) {
      return false;
    }
    for (JsonNode item : node) {
      if (!item.isObject()) {
        return false;
      }
    }
    return true;
  }

  private static String cell(String key, JsonNode value) {
    if (value == null || value.isNull()) {
      return "-";
    }
    if (value.isIntegralNumber() && key != null && key.endsWith("_bytes")) {
      return Bytes.human(value.asLong());
    }
    if (value.isValueNode()) {
      return value.asText();
    }
    if (value.isArray() && value.size() > 0 && !isTable(value)) {
      List<String> items = new ArrayList<>();
      value.forEach(v -> items.add(cell(null, v)));
      return String.join(", ", items);
    }
    if (isTable(value)) {
      // a list of objects inside a table cell (a hive's devices): their ids, else a count
      List<String> ids = new ArrayList<>();
      value.forEach(v -> {
        if (v.hasNonNull("id")) {
          ids.add(v.get("id").asText());
        }
      });
      return ids.size() == value.size() ? String.join(", ", ids) : value.size() + " items";
    }
    return value.toString();
  }
}
