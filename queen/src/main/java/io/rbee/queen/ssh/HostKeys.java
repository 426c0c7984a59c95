package io.rbee.queen.ssh;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collection;
import java.util.List;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Host keys checked against the user's known_hosts, as {@code ssh} does with
 * {@code StrictHostKeyChecking yes}: a key on file is accepted; an unknown host is refused and
 * its key remembered for the message, unless {@code acceptUnknown}, when the key is appended
 * to the file; a host whose key differs from the one on file is always refused.
 *
 * <p>One instance per connection: it records what it saw for {@link SshSession} to explain a
 * refused key exchange. Called on MINA's I/O threads; the fields are volatile.
 */
final class HostKeys extends KnownHostsServerKeyVerifier {
  private volatile PublicKey unknown;
  private volatile PublicKey added;
  private volatile PublicKey offered;
  private volatile PublicKey expected;

  private volatile PublicKey otherType;
  private final boolean acceptUnknown;

  HostKeys(Path knownHosts, boolean acceptUnknown) {
    super(acceptUnknown ? AcceptAllServerKeyVerifier.INSTANCE : RejectAllServerKeyVerifier.INSTANCE,
        knownHosts);
    this.acceptUnknown = acceptUnknown;
    setModifiedServerKeyAcceptor(this::refuseModified);
  }

  @Override
  protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote,
      PublicKey serverKey) {
    boolean accepted = super.acceptUnknownHostKey(session, remote, serverKey);
    if (accepted) {
      added = serverKey;
    } else {
      unknown = serverKey;
    }
    return accepted;
  }

  /**
   * MINA reads a known_hosts line of another key type for the host as a changed key; OpenSSH
   * (and this) reads it as an unknown key of this type, since a host has one key per type.
   */
  private boolean refuseModified(ClientSession session, SocketAddress remote, KnownHostEntry entry,
      PublicKey expectedKey, PublicKey actualKey) throws Exception {
    String known = KeyUtils.getKeyType(expectedKey);
    if (known != null && !known.equals(KeyUtils.getKeyType(actualKey))) {
      otherType = expectedKey;
      if (acceptUnknown) {
        updateKnownHostsFile(session, remote, actualKey, getPath(), List.of());
        added = actualKey;
        return true;
      }
      unknown = actualKey;
      return false;
    }
    expected = expectedKey;
    offered = actualKey;
    return false;
  }

  /** A key of a new type was appended by {@link #refuseModified}: the old line stays. */
  @Override
  protected void updateModifiedServerKey(ClientSession session, SocketAddress remote,
      HostEntryPair match, PublicKey serverKey, Path file, Collection<HostEntryPair> knownHosts)
      throws Exception {
    if (added != serverKey) {
      super.updateModifiedServerKey(session, remote, match, serverKey, file, knownHosts);
    }
  }

  /** The known key of another type, when the offered one was unknown for that reason; or null. */
  PublicKey otherTypeKey() {
    return otherType;
  }

  /** The key of an unknown host that was refused, or null. */
  PublicKey unknownKey() {
    return unknown;
  }

  /** The key of an unknown host that was accepted and appended to known_hosts, or null. */
  PublicKey addedKey() {
    return added;
  }

  /** The key a host offered that differs from known_hosts, or null. */
  PublicKey changedKey() {
    return offered;
  }

  /** The key known_hosts has for a host whose key changed, or null. */
  PublicKey expectedKey() {
    return expected;
  }

  /** {@code ED25519 key SHA256:...}. */
  static String describe(PublicKey key) {
    String type = KeyUtils.getKeyType(key);
    String name = type == null ? key.getAlgorithm()
        : type.replaceFirst("^ssh-", "").replaceFirst("^ecdsa-sha2-", "ECDSA ")
            .toUpperCase(java.util.Locale.ROOT);
    return name + " key " + KeyUtils.getFingerPrint(key);
  }
}
