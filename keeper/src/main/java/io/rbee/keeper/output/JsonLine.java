package io.rbee.keeper.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbee.narration.Json;
import io.rbee.narration.sse.SseEvent;
import java.io.IOException;

/**
 * An SSE event as one JSON line, {@code {"id":3,"event":"narration","data":{...}}}: the data
 * embedded as JSON (as a string when it is not JSON), the id as a number when it is one.
 */
public final class JsonLine {
  private JsonLine() {}

  public static String of(SseEvent event) {
    ObjectNode line = Json.MAPPER.createObjectNode();
    long id = event.numericId();
    if (id > 0) {
      line.put("id", id);
    } else if (event.id() != null) {
      line.put("id", event.id());
    } else {
      line.putNull("id");
    }
    line.put("event", event.event());
    line.set("data", parse(event.data()));
    return Json.write(line);
  }

  private static JsonNode parse(String data) {
    try {
      JsonNode node = Json.MAPPER.readTree(data);
      return node == null || node.isMissingNode() ? Json.MAPPER.getNodeFactory().textNode(data)
          : node;
    } catch (IOException e) {
      return Json.MAPPER.getNodeFactory().textNode(data);
    }
  }
}
