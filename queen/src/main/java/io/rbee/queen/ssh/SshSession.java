package io.rbee.queen.ssh;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.server.JobContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.fs.SftpFileSystem;

/**
 * One SSH connection to a hive's machine for the length of one operation: connect (host key
 * checked by {@link HostKeys}), log in with the alias's keys, run commands whose output is
 * narrated live, copy files over SFTP. Every step is narrated into the job. Failures are
 * {@link OperationException}s: {@code host_key_unknown}, {@code host_key_mismatch},
 * {@code ssh_failed}.
 *
 * <p>Not thread-safe: one operation's thread uses it, then closes it.
 */
public final class SshSession implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

  private final SshHost host;
  private final JobContext job;
  private final SshClient client;
  private final ClientSession session;
  private SftpFileSystem files;

  private SshSession(SshHost host, JobContext job, SshClient client, ClientSession session) {
    this.host = host;
    this.job = job;
    this.client = client;
    this.session = session;
  }

  /**
   * Connects to {@code host} and logs in; {@code acceptHostKey} adds an unknown host's key to
   * known_hosts (a changed key is refused whatever it says).
   */
  public static SshSession open(SshHost host, boolean acceptHostKey, JobContext job) {
    String id = host.alias();
    job.narrate("ssh_connect").hiveId(id)
        .human("Connecting to {} ({}{})", id, host.target(),
            host.proxyJump() == null ? "" : " via " + host.proxyJump()).emit();
    if (acceptHostKey) {
      prepareKnownHosts(host.knownHosts());
    }
    HostKeys keys = new HostKeys(host.knownHosts(), acceptHostKey);
    SshClient client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(keys);
    // hosts a ProxyJump names resolve from the same files, never from a default ~/.ssh/config
    client.setHostConfigEntryResolver(host.resolver());
    client.start();
    ClientSession session = null;
    try {
      session = client.connect(host.entry(), null, null).verify(CONNECT_TIMEOUT).getSession();
      session.auth().verify(CONNECT_TIMEOUT);
    } catch (IOException | RuntimeException e) {
      closeQuietly(session);
      client.stop();
      throw failure(host, keys, e);
    }
    PublicKey key = session.getServerKey();
    job.narrate("ssh_host_key").hiveId(id)
        .human("Host key of {}: {} ({})", id, key == null ? "?" : HostKeys.describe(key),
            keys.addedKey() != null ? "new: added to " + host.knownHosts()
                : "matches " + host.knownHosts()).emit();
    job.narrate("ssh_login").hiveId(id)
        .human("Logged in to {} as {}", id, host.user()).emit();
    SshSession s = new SshSession(host, job, client, session);
    job.onCancel(s::close);
    return s;
  }

  /** The outcome of a remote command: its exit status and what it printed. */
  public record Result(int exit, String stdout, String stderr) {}

  /**
   * Runs {@code command} with {@code /bin/sh} semantics on the machine and keeps its stdout and
   * stderr. With {@code narrate}, the step is narrated ({@code ssh_exec}, naming {@code what})
   * and the output line by line as it arrives; without, it runs silently (a poll). Throws
   * {@code ssh_failed} when it cannot run or does not end within {@code timeout}.
   */
  public Result exec(String what, String command, Duration timeout, boolean narrate) {
    job.throwIfCancelled();
    if (narrate) {
      job.narrate("ssh_exec").hiveId(host.alias())
          .human("On {}: {}", host.alias(), what).emit();
    }
    RemoteOutput out = new RemoteOutput(job, host.alias(), "ssh_stdout", narrate);
    RemoteOutput err = new RemoteOutput(job, host.alias(), "ssh_stderr", narrate);
    try (ChannelExec channel = session.createExecChannel(command)) {
      channel.setOut(out);
      channel.setErr(err);
      channel.open().verify(CONNECT_TIMEOUT);
      Set<ClientChannelEvent> events =
          channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
      out.close();
      err.close();
      if (events.contains(ClientChannelEvent.TIMEOUT)) {
        throw new OperationException(ErrorKind.SSH_FAILED, "on " + host.alias() + ": \"" + what
            + "\" did not finish within " + timeout.toSeconds() + " s");
      }
      Integer exit = channel.getExitStatus();
      return new Result(exit == null ? -1 : exit, out.text(), err.text());
    } catch (IOException e) {
      throw new OperationException(ErrorKind.SSH_FAILED,
          "on " + host.alias() + ": cannot run \"" + what + "\": " + message(e));
    }
  }

  /** The machine's files over SFTP (opened once per session). */
  public SftpFileSystem files() {
    if (files == null) {
      try {
        files = SftpClientFactory.instance().createSftpFileSystem(session);
      } catch (IOException e) {
        throw new OperationException(ErrorKind.SSH_FAILED,
            "cannot open SFTP to " + host.alias() + " (" + host.target() + "): " + message(e));
      }
    }
    return files;
  }

  public SshHost host() {
    return host;
  }

  /** Closes SFTP, the session and the client; idempotent. */
  @Override
  public void close() {
    if (files != null) {
      try {
        files.close();
      } catch (IOException e) {
        // the session goes next anyway
      }
    }
    closeQuietly(session);
    client.stop();
  }

  private static OperationException failure(SshHost host, HostKeys keys, Exception e) {
    String id = host.alias();
    if (keys.changedKey() != null) {
      return new OperationException(ErrorKind.HOST_KEY_MISMATCH, "THE HOST KEY OF " + id
          + " (" + host.hostName() + ":" + host.port() + ") HAS CHANGED: it offered "
          + HostKeys.describe(keys.changedKey()) + " but " + host.knownHosts() + " has "
          + HostKeys.describe(keys.expectedKey()) + ". Someone may be intercepting the"
          + " connection (man in the middle), or the machine was reinstalled. Nothing was sent."
          + " If you know the new key is right, remove the old one with `ssh-keygen -R "
          + knownHostsName(host) + " -f " + host.knownHosts() + "` and install again");
    }
    if (keys.unknownKey() != null) {
      return new OperationException(ErrorKind.HOST_KEY_UNKNOWN, "the host key of " + id + " ("
          + host.hostName() + ":" + host.port() + ") is not in " + host.knownHosts() + ": it"
          + " offered " + HostKeys.describe(keys.unknownKey())
          + (keys.otherTypeKey() == null ? "" : " (the file has only a key of another type for"
              + " it: " + HostKeys.describe(keys.otherTypeKey()) + ")") + ". Check that fingerprint on"
          + " the machine (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), then rerun with"
          + " --accept-host-key (`rbee hive install --hive " + id + " --accept-host-key`) to add"
          + " it");
    }
    return new OperationException(ErrorKind.SSH_FAILED, "cannot log in to " + id + " ("
        + host.target() + ", keys: " + (host.identities().isEmpty() ? "none found"
            : String.join(", ", host.identities())) + "): " + message(e));
  }

  private static String knownHostsName(SshHost host) {
    return host.port() == 22 ? host.hostName() : "'[" + host.hostName() + "]:" + host.port() + "'";
  }

  private static void prepareKnownHosts(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
    } catch (IOException e) {
      throw new OperationException(ErrorKind.SSH_FAILED,
          "cannot create the folder of " + file + ": " + e.getMessage());
    }
  }

  private static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = e.getMessage();
    String root = t == e ? "" : " (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")";
    return (m == null ? e.getClass().getSimpleName() : m) + root;
  }

  private static void closeQuietly(ClientSession s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
