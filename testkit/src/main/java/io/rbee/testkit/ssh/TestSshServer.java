package io.rbee.testkit.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.shell.ProcessShellCommandFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An SSH server standing in for another machine: listens on 127.0.0.1 (a free port), accepts
 * only the client key it generated ({@link #clientKey()}, written in OpenSSH format), runs exec
 * requests as real processes of this user ({@code /bin/sh -c}), serves SFTP, and forwards
 * TCP for a client that jumps through it ({@code ProxyJump}). Its host key
 * is generated too; {@link #changeHostKey()} swaps it, as a reinstalled (or impersonated)
 * machine would. {@link #close()} stops it; processes its commands left running detached are
 * the test's to kill.
 */
public final class TestSshServer implements AutoCloseable {
  private final Path dir;
  private final KeyPair client;
  private final Path clientKeyFile;
  private final AtomicInteger sessions = new AtomicInteger();
  private final List<PublicKey> authorized = new CopyOnWriteArrayList<>();
  private KeyPair hostKey;
  private SshServer server;
  private int port;

  private TestSshServer(Path dir) throws IOException, GeneralSecurityException {
    this.dir = dir;
    this.client = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    this.clientKeyFile = dir.resolve("id_test");
    try (OutputStream out = Files.newOutputStream(clientKeyFile)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(client, "rbee-test", null, out);
    }
    Files.setPosixFilePermissions(clientKeyFile, PosixFilePermissions.fromString("rw-------"));
    this.hostKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
  }

  /** Starts a server on a free port of 127.0.0.1, its keys under {@code dir}. */
  public static TestSshServer start(Path dir) throws IOException {
    try {
      Files.createDirectories(dir);
      TestSshServer s = new TestSshServer(dir);
      s.listen(0);
      return s;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot generate keys", e);
    }
  }

  private void listen(int onPort) throws IOException {
    SshServer s = SshServer.setUpDefaultServer();
    s.setHost("127.0.0.1");
    s.setPort(onPort);
    s.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    s.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, client.getPublic())
        || authorized.stream().anyMatch(k -> KeyUtils.compareKeys(key, k)));
    s.setPasswordAuthenticator(null);
    s.setKeyboardInteractiveAuthenticator(null);
    s.setCommandFactory(new ProcessShellCommandFactory());
    s.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
    // lets it be a jump host (ProxyJump): direct-tcpip channels to anywhere
    s.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
    s.addSessionListener(new SessionListener() {
      @Override
      public void sessionCreated(Session session) {
        sessions.incrementAndGet();
      }
    });
    s.start();
    this.server = s;
    this.port = s.getPort();
  }

  /** Accepts the key of {@code publicKeyFile} too (an OpenSSH {@code .pub} line). */
  public void authorize(Path publicKeyFile) throws IOException {
    try {
      authorized.add(PublicKeyEntry.parsePublicKeyEntry(Files.readString(publicKeyFile).strip())
          .resolvePublicKey(null, Map.of(), null));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read " + publicKeyFile, e);
    }
  }

  /** Restarts on the same port with a new host key. */
  public void changeHostKey() throws IOException {
    try {
      server.stop(true);
      hostKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
    listen(port);
  }

  /** How many SSH sessions clients opened so far. */
  public int sessions() {
    return sessions.get();
  }

  public int port() {
    return port;
  }

  /** The private key file the server accepts (OpenSSH format, mode 0600). */
  public Path clientKey() {
    return clientKeyFile;
  }

  /** The host key's fingerprint, {@code SHA256:...}. */
  public String hostKeyFingerprint() {
    return KeyUtils.getFingerPrint(hostKey.getPublic());
  }

  /** This server's known_hosts line: {@code [127.0.0.1]:<port> ssh-ed25519 AAAA...}. */
  public String knownHostsLine() {
    return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey.getPublic());
  }

  /** The folder the keys are in. */
  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    try {
      server.stop(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
