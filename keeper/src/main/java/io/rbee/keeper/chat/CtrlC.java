package io.rbee.keeper.chat;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Ctrl-C (SIGINT) as an event for the chat, instead of the end of the JVM: Java has no
 * supported API for that, so this uses {@code sun.misc.Signal} (module jdk.unsupported),
 * through reflection because the build fails on javac's warning about that class. Where it
 * is unavailable, or SIGINT was ignored when the JVM started (it then stays ignored),
 * {@link #install} says so and Ctrl-C keeps its usual meaning.
 */
final class CtrlC implements AutoCloseable {
  private final Method handle;
  private final Object signal;
  private final Object previous;

  private CtrlC(Method handle, Object signal, Object previous) {
    this.handle = handle;
    this.signal = signal;
    this.previous = previous;
  }

  /**
   * Runs {@code onCtrlC} on a JVM signal thread for every SIGINT until {@link #close()};
   * null when that is not possible here. {@code onCtrlC} must not block.
   */
  static CtrlC install(Runnable onCtrlC) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object signal = signalClass.getConstructor(String.class).newInstance("INT");
      Object handler = Proxy.newProxyInstance(CtrlC.class.getClassLoader(),
          new Class<?>[] {handlerClass}, (proxy, method, args) -> switch (method.getName()) {
            case "handle" -> {
              onCtrlC.run();
              yield null;
            }
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> "rbee chat's Ctrl-C handler";
          });
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      Object previous = handle.invoke(null, signal, handler);
      Object ignored = handlerClass.getField("SIG_IGN").get(null);
      if (previous == ignored) {
        handle.invoke(null, signal, previous); // the JVM did not take SIGINT: leave it so
        return null;
      }
      return new CtrlC(handle, signal, previous);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  /** Gives SIGINT back to whatever handled it before. */
  @Override
  public void close() {
    try {
      handle.invoke(null, signal, previous);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // the JVM is going away with the chat: nothing left to restore for
    }
  }
}
