package io.rbee.jobs;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.ArrayList;
import java.util.List;

/** Reads the sealed {@link Operation} hierarchy, for {@link Operation#TYPES} and {@link Daemon}. */
final class OperationTypes {
  private OperationTypes() {}

  /**
   * The records under {@code type}, depth first, in {@code permits} order (javac records the
   * permitted subclasses in the order the clause lists them; a test pins the result).
   */
  static List<Class<? extends Operation>> leaves(Class<?> type) {
    List<Class<? extends Operation>> out = new ArrayList<>();
    if (type.isSealed()) {
      for (Class<?> sub : type.getPermittedSubclasses()) {
        out.addAll(leaves(sub));
      }
    } else {
      out.add(type.asSubclass(Operation.class));
    }
    return List.copyOf(out);
  }

  /** The externally tagged name of an operation record (its {@code @JsonTypeName}). */
  static String wireName(Class<?> type) {
    return type.getAnnotation(JsonTypeName.class).value();
  }
}
