package io.rbee.queen;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Whether a bind address keeps a daemon on this machine. */
final class Loopback {
  private Loopback() {}

  /**
   * True for {@code localhost} and loopback IP literals ({@code 127.x.x.x}, {@code ::1}); false
   * for anything else ({@code 0.0.0.0}, a LAN address, a name that does not resolve).
   */
  static boolean is(String bind) {
    if (bind.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
