package io.rbee.queen.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.server.ApiException;
import io.rbee.narration.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One OpenAI request body, read strictly: every field must be one the route knows, a field
 * rbee supports is read with its type checked, and a field rbee does not support is accepted
 * only with the value that means "off" (OpenAI clients send {@code "n": 1} or
 * {@code "presence_penalty": 0} unasked). Every refusal is a 400 naming the field
 * ({@code param}) and what was expected. Not thread-safe; one per request.
 */
final class RequestFields {
  private final JsonNode body;
  private final Set<String> known;

  private RequestFields(JsonNode body, Set<String> known) {
    this.body = body;
    this.known = known;
  }

  /**
   * Reads {@code json} as an object whose fields are all in {@code known}.
   *
   * @throws ApiException 400 {@code invalid_request} for anything else
   */
  static RequestFields parse(String json, Set<String> known) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(json == null ? "" : json);
    } catch (Exception e) {
      throw refuse(null, "the request body is not JSON: " + firstLine(e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw refuse(null, "the request body must be a JSON object");
    }
    Set<String> unknown = new TreeSet<>();
    node.fieldNames().forEachRemaining(f -> {
      if (!known.contains(f)) {
        unknown.add(f);
      }
    });
    if (!unknown.isEmpty()) {
      String field = unknown.iterator().next();
      throw refuse(field, "unrecognized request argument: " + field + " (rbee reads "
          + String.join(", ", new TreeSet<>(known)) + ")");
    }
    return new RequestFields(node, known);
  }

  /** The 400 for {@code field} (null: the body as a whole). */
  static ApiException refuse(String field, String message) {
    return ApiException.badRequest("invalid_request", message).param(field);
  }

  JsonNode node(String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() ? null : n;
  }

  boolean has(String field) {
    return node(field) != null;
  }

  String requiredText(String field) {
    String s = text(field);
    if (s == null || s.isBlank()) {
      throw refuse(field, field + " is required (a non-empty string)");
    }
    return s;
  }

  String text(String field) {
    JsonNode n = node(field);
    if (n == null) {
      return null;
    }
    if (!n.isTextual()) {
      throw refuse(field, field + " must be a string, got " + kind(n));
    }
    return n.asText();
  }

  Boolean bool(String field) {
    JsonNode n = node(field);
    if (n == null) {
      return null;
    }
    if (!n.isBoolean()) {
      throw refuse(field, field + " must be true or false, got " + kind(n));
    }
    return n.asBoolean();
  }

  Integer integer(String field) {
    JsonNode n = node(field);
    if (n == null) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw refuse(field, field + " must be an integer, got " + kind(n));
    }
    return n.asInt();
  }

  Long longInteger(String field) {
    JsonNode n = node(field);
    if (n == null) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw refuse(field, field + " must be an integer, got " + kind(n));
    }
    return n.asLong();
  }

  Double number(String field) {
    JsonNode n = node(field);
    if (n == null) {
      return null;
    }
    if (!n.isNumber()) {
      throw refuse(field, field + " must be a number, got " + kind(n));
    }
    return n.asDouble();
  }

  /** A string or a list of strings ({@code stop}); at most {@code max} of them. */
  List<String> textOrList(String field, int max) {
    JsonNode n = node(field);
    if (n == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    if (n.isTextual()) {
      out.add(n.asText());
    } else if (n.isArray()) {
      for (JsonNode e : n) {
        if (!e.isTextual()) {
          throw refuse(field, field + " must be a string or a list of strings, got a list"
              + " holding " + kind(e));
        }
        out.add(e.asText());
      }
    } else {
      throw refuse(field, field + " must be a string or a list of strings, got " + kind(n));
    }
    if (out.size() > max) {
      throw refuse(field, field + " holds " + out.size() + " strings; at most " + max);
    }
    return out;
  }

  /**
   * A {@code keep_alive} as Ollama takes it: a string or a number of seconds, passed on as its
   * text ({@link io.rbee.jobs.KeepAlive#parse} checks it with the operation).
   */
  String keepAlive(String field) {
    JsonNode n = node(field);
    if (n == null) {
      return null;
    }
    if (!n.isTextual() && !n.isNumber()) {
      throw refuse(field, field + " must be a duration string (\"5m\") or a number of"
          + " seconds, got " + kind(n));
    }
    return n.asText();
  }

  /**
   * Refuses {@code field} unless it is absent, null, or one of {@code neutral} (compared as
   * JSON, so {@code 0} and {@code 0.0} are both zero): {@code what} says what rbee does not do.
   */
  void onlyNeutral(String field, String what, Object... neutral) {
    JsonNode n = node(field);
    if (n == null) {
      return;
    }
    for (Object v : neutral) {
      JsonNode allowed = Json.MAPPER.valueToTree(v);
      if (allowed.equals(n) || allowed.isNumber() && n.isNumber()
          && allowed.asDouble() == n.asDouble()) {
        return;
      }
    }
    throw refuse(field, field + " is not supported: " + what);
  }

  /** What JSON value {@code n} is, for messages: {@code a number (1.5)}, {@code an object}. */
  static String kind(JsonNode n) {
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isNumber()) {
      return "a number (" + n.asText() + ")";
    }
    if (n.isBoolean()) {
      return n.asText();
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isObject()) {
      return "an object";
    }
    return "null";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
