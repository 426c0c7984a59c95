package io.rbee.jobs.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.narration.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The installation's token file: made once, private, overridden by RBEE_TOKEN, never shown. */
class TokenFileTest {
  @TempDir Path home;

  @Test
  void theFirstDaemonCreatesAPrivateTokenAndLaterOnesReadTheSame() throws Exception {
    AccessToken first = TokenFile.forDaemon(home, Map.of());
    AccessToken second = TokenFile.forDaemon(home, Map.of());

    Path file = home.resolve("token");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(first.value()).startsWith("rbee_").hasSize(48)
        .matches("rbee_[A-Za-z0-9_-]{43}");
    assertThat(Files.readString(file).strip()).isEqualTo(first.value());
    assertThat(second.value()).isEqualTo(first.value());
    assertThat(second.source()).isEqualTo(file.toString());
    assertThat(TokenFile.forClient(home, Map.of())).get()
        .extracting(AccessToken::value).isEqualTo(first.value());
    try (var listing = Files.list(home)) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("token");
    }
  }

  @Test
  void daemonsThatStartTogetherAgreeOnOneToken() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<String>> racers = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        racers.add(() -> TokenFile.readOrCreate(home.resolve("token")).value());
      }
      Set<String> seen = new java.util.HashSet<>();
      for (Future<String> f : pool.invokeAll(racers)) {
        seen.add(f.get());
      }
      assertThat(seen).hasSize(1);
      assertThat(Files.readString(home.resolve("token")).strip()).isEqualTo(seen.iterator().next());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rbeeTokenOverridesTheFileAndIsNeverWritten() {
    String mine = "rbee_" + "x".repeat(40);

    AccessToken daemon = TokenFile.forDaemon(home, Map.of("RBEE_TOKEN", mine));
    AccessToken client = TokenFile.forClient(home, Map.of("RBEE_TOKEN", mine)).orElseThrow();

    assertThat(daemon.value()).isEqualTo(mine);
    assertThat(daemon.source()).isEqualTo("RBEE_TOKEN");
    assertThat(client.value()).isEqualTo(mine);
    assertThat(home.resolve("token")).doesNotExist();
  }

  @Test
  void aClientWithoutEnvOrFileHasNoToken() {
    assertThat(TokenFile.forClient(home, Map.of())).isEmpty();
    assertThat(home.resolve("token")).doesNotExist();
  }

  @Test
  void aBadTokenIsRefusedWithoutShowingIt() throws Exception {
    Files.writeString(home.resolve("token"), "short\n");
    assertThatThrownBy(() -> TokenFile.forDaemon(home, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(home.resolve("token").toString())
        .hasMessageNotContaining("short");
    assertThatThrownBy(() -> TokenFile.forClient(home, Map.of("RBEE_TOKEN", "has a space in it!")))
        .hasMessageContaining("RBEE_TOKEN").hasMessageNotContaining("space in it");
  }

  @Test
  void matchingIsExactAndTheValueStaysOutOfTextAndLogs() {
    AccessToken token = AccessToken.of("my-own-secret-token-1234", "RBEE_TOKEN");

    assertThat(token.matches("my-own-secret-token-1234")).isTrue();
    assertThat(token.matches("my-own-secret-token-1235")).isFalse();
    assertThat(token.matches("my-own-secret-token-123")).isFalse();
    assertThat(token.matches("")).isFalse();
    assertThat(token.matches(null)).isFalse();
    assertThat(token.toString()).doesNotContain("my-own").contains("RBEE_TOKEN");
    assertThat(Redactor.redact("oops, printed my-own-secret-token-1234 here"))
        .isEqualTo("oops, printed [REDACTED] here");
    String generated = AccessToken.generate("test").value();
    assertThat(Redactor.redact("a token of another installation: rbee_"
        + "Ab3-_x".repeat(7) + " and " + generated))
        .doesNotContain("rbee_").doesNotContain(generated);
  }
}
