package io.rbee.queen.hives;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.OperationException;
import io.rbee.queen.ssh.SshHost;
import io.rbee.queen.ssh.SshSession;
import java.time.Duration;

/**
 * The {@code RBEE_HOME} of a hive's machine, an absolute path there ({@code RbeeHome} with a
 * leading {@code ~/} resolved against the login's {@code $HOME}):
 *
 * <pre>
 * dist/                 the hive distribution (HiveInstall): lib/, cp/, manifest.sha256, classpath.txt
 * token                 the queen's token, mode 0600 (HiveStart)
 * logs/hive-&lt;id&gt;.log    the hive's log and output
 * run/hive-&lt;id&gt;.pid    the running hive's pid
 * hives/&lt;id&gt;/models/    the hive's models
 * </pre>
 */
record RemoteHome(String path, String hiveId) {

  /** Asks the machine where its {@code $HOME} is when the configured home starts with {@code ~}. */
  static RemoteHome of(SshSession ssh) {
    SshHost host = ssh.host();
    String configured = host.rbeeHome();
    String path = configured;
    if (configured.equals("~") || configured.startsWith("~/")) {
      SshSession.Result r = ssh.exec("find the login's home folder", "printf '%s' \"$HOME\"", Duration.ofSeconds(20),
          false);
      String home = r.stdout().strip();
      if (r.exit() != 0 || !home.startsWith("/")) {
        throw new OperationException(ErrorKind.SSH_FAILED, "cannot find the home folder of "
            + host.user() + " on " + host.alias() + " (exit " + r.exit() + "): set RbeeHome to"
            + " an absolute path for Host " + host.alias());
      }
      path = home + configured.substring(1);
    }
    if (!path.startsWith("/")) {
      throw new OperationException(ErrorKind.SSH_FAILED, "RbeeHome of Host " + host.alias()
          + " must be an absolute path or start with ~/, got \"" + configured + "\"");
    }
    return new RemoteHome(path.replaceAll("/+$", ""), host.alias());
  }

  String dist() {
    return path + "/dist";
  }

  String token() {
    return path + "/token";
  }

  String log() {
    return path + "/logs/hive-" + hiveId + ".log";
  }

  String pidFile() {
    return path + "/run/hive-" + hiveId + ".pid";
  }

  String models() {
    return path + "/hives";
  }
}
