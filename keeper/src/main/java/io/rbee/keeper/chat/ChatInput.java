package io.rbee.keeper.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * What the user does at the prompt, as one queue: lines typed (read from stdin by a daemon
 * thread of its own, so a Ctrl-C can end the wait for a line), the end of input, and
 * interrupts. Thread-safe; {@link #next()} is called by one thread.
 */
final class ChatInput {
  /** One thing the user did. */
  sealed interface Event permits Line, End, Interrupt {}

  /** A line of input, without its line break. */
  record Line(String text) implements Event {}

  /** The end of input (Ctrl-D on a terminal, the end of a pipe) or a read that failed. */
  record End(String why) implements Event {}

  /** Ctrl-C while no answer was being read. */
  record Interrupt() implements Event {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

  private ChatInput() {}

  /** Input read from {@code in} (UTF-8) on a daemon thread, from now on. */
  static ChatInput reading(InputStream in) {
    ChatInput input = new ChatInput();
    Thread reader = new Thread(() -> input.read(in), "rbee-chat-input");
    reader.setDaemon(true); // blocked in read() when the chat ends: must not keep the JVM up
    reader.start();
    return input;
  }

  private void read(InputStream in) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        events.add(new Line(line));
      }
      events.add(new End(null));
    } catch (IOException e) {
      events.add(new End("reading stdin failed: " + e.getMessage()));
    }
  }

  /** Records a Ctrl-C that came while no answer was being read. Never blocks. */
  void interrupt() {
    events.add(new Interrupt());
  }

  /** The next event, waiting for it. */
  Event next() throws InterruptedException {
    return events.take();
  }
}
