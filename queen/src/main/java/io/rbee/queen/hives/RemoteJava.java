package io.rbee.queen.hives;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.OperationException;
import io.rbee.queen.ssh.Shell;
import io.rbee.queen.ssh.SshHost;
import io.rbee.queen.ssh.SshSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Java a hive's machine runs the hive with: {@code RbeeJava}, else {@code java} on PATH. */
final class RemoteJava {
  static final int NEEDED = 21;
  private static final Pattern VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?[^\"]*\"");

  private RemoteJava() {}

  /**
   * Runs {@code java -version} there and returns its first line; throws {@code java_missing}
   * saying what is missing and how to install it.
   */
  static String check(SshSession ssh, Path hivesConf) {
    SshHost host = ssh.host();
    String java = host.rbeeJava();
    String cmd = java.equals("java")
        ? "command -v java >/dev/null 2>&1 || exit 127; java -version 2>&1"
        : "[ -x " + Shell.path(java) + " ] || exit 127; " + Shell.path(java) + " -version 2>&1";
    SshSession.Result r = ssh.exec("check Java (" + java + " -version)", cmd,
        Duration.ofSeconds(60), true);
    String how = "Install a Java " + NEEDED + "+ runtime there (Debian/Ubuntu: `sudo apt install"
        + " openjdk-" + NEEDED + "-jre-headless`; Fedora/RHEL: `sudo dnf install java-" + NEEDED
        + "-openjdk-headless`; or unpack a Temurin " + NEEDED + " JDK), or name one with"
        + " `RbeeJava /path/to/bin/java` under `Host " + host.alias() + "` in " + hivesConf;
    if (r.exit() == 127) {
      throw new OperationException(ErrorKind.JAVA_MISSING, "no Java on " + host.alias() + ": "
          + (java.equals("java") ? "`java` is not on the PATH of a non-interactive login as "
              + host.user() : java + " (RbeeJava) does not exist or is not executable") + ". "
          + how);
    }
    Matcher m = VERSION.matcher(r.stdout());
    if (r.exit() != 0 || !m.find()) {
      throw new OperationException(ErrorKind.JAVA_MISSING, "`" + java + " -version` on "
          + host.alias() + " failed (exit " + r.exit() + "): " + r.stdout().strip() + ". " + how);
    }
    int major = Integer.parseInt(m.group(1));
    if (major == 1 && m.group(2) != null) {
      major = Integer.parseInt(m.group(2));
    }
    String first = r.stdout().strip().split("\n")[0];
    if (major < NEEDED) {
      throw new OperationException(ErrorKind.JAVA_MISSING, "Java on " + host.alias() + " is "
          + major + " (" + java + ": " + first + "); the hive needs " + NEEDED + " or newer. "
          + how);
    }
    return first;
  }
}
