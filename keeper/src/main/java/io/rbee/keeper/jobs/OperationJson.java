package io.rbee.keeper.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import io.rbee.jobs.Operation;
import io.rbee.jobs.ExitCode;
import io.rbee.keeper.KeeperException;
import io.rbee.narration.Json;

/**
 * Reads an operation typed on the command line: either the operation itself,
 * {@code {"HiveCheck": {}}}, or a whole request body, {@code {"operation": {"HiveCheck": {}}}}.
 * Anything else is a usage error whose message says what was wrong.
 */
public final class OperationJson {
  private OperationJson() {}

  public static Operation parse(String text) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw usage("operation is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject() || node.size() != 1) {
      throw usage("operation must be one JSON object with one key, the operation's name, e.g. "
          + "'{\"HiveCheck\": {}}', got: " + text);
    }
    if (node.has("operation")) {
      node = node.get("operation");
      if (!node.isObject() || node.size() != 1) {
        throw usage("\"operation\" must be an object with one key, the operation's name, got: "
            + node);
      }
    }
    String name = node.fieldNames().next();
    if (!Operation.NAMES.contains(name)) {
      throw usage("unknown operation \"" + name + "\" (expected one of: "
          + String.join(", ", Operation.NAMES) + ")");
    }
    try {
      return Json.MAPPER.treeToValue(node, Operation.class);
    } catch (InvalidTypeIdException e) {
      throw usage("unknown operation \"" + e.getTypeId() + "\"");
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage()
          : e.getMessage();
      throw usage("operation " + name + " does not fit its fields: " + reason);
    }
  }

  private static KeeperException usage(String message) {
    int nl = message.indexOf('\n');
    return new KeeperException(ExitCode.USAGE, nl < 0 ? message : message.substring(0, nl));
  }
}
