package io.rbee.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.narration.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeepAliveTest {
  @Test
  void readsDurationsSecondsAndTheTwoSpecialValues() {
    assertThat(KeepAlive.parse("5m").millis()).isEqualTo(300_000);
    assertThat(KeepAlive.parse("1h30m").millis()).isEqualTo(5_400_000);
    assertThat(KeepAlive.parse("2.5s").millis()).isEqualTo(2_500);
    assertThat(KeepAlive.parse("250ms").millis()).isEqualTo(250);
    assertThat(KeepAlive.parse("300").millis()).isEqualTo(300_000);
    assertThat(KeepAlive.parse("0").millis()).isZero();
    assertThat(KeepAlive.parse("-1").forever()).isTrue();
    assertThat(KeepAlive.parse("-5m").forever()).isTrue();
    assertThat(KeepAlive.DEFAULT).hasToString("5m");
    assertThat(KeepAlive.parse("90s")).hasToString("90s");
    assertThat(KeepAlive.FOREVER).hasToString("never");
  }

  @Test
  void refusesAnythingElseNamingWhatIsAccepted() {
    for (String bad : List.of("", "soon", "5x", "5m soon", "m", "1.2.3s")) {
      assertThatThrownBy(() -> KeepAlive.parse(bad)).as(bad)
          .isInstanceOf(InvalidOperationException.class)
          .hasMessageContaining("keep_alive must be a duration");
    }
  }

  @Test
  void aNumberOnTheWireIsReadAsSeconds() {
    Operation op = Json.read("{\"Infer\": {\"model\": \"m\", \"prompt\": \"p\", \"keep_alive\": -1}}",
        Operation.class);

    assertThat(((Operation.Infer) op).keepAliveOrNull().forever()).isTrue();
  }

  @Test
  void anInferIsEitherRawOrAChatAndItsMessagesAreChecked() {
    var chat = new Operation.Infer(null, "m", null, null, null, null, null, null, null,
        List.of(new ChatMessage("user", "hi")), null);
    chat.validate();
    assertThat(chat.chat()).isTrue();

    assertThatThrownBy(() -> new Operation.Infer(null, "m", "p", null, null, null, null, null,
        null, List.of(new ChatMessage("user", "hi")), null).validate())
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> new Operation.Infer(null, "m", null, null, null, null, null, null,
        null, List.of(new ChatMessage("tool", "x")), null).validate())
        .hasMessageContaining("messages[0].role must be one of system, user, assistant");
    assertThatThrownBy(() -> new Operation.Infer(null, "m", null, null, null, null, null, null,
        null, List.of(), null).validate()).hasMessageContaining("at least one message");
    assertThatThrownBy(() -> chat.withKeepAlive("later").validate())
        .hasMessageContaining("keep_alive");
  }

  @Test
  void anEmbedNeedsNonEmptyInputs() {
    new Operation.Embed(null, "m", List.of("a", "b"), "0").validate();
    assertThatThrownBy(() -> new Operation.Embed(null, "m", List.of(), null).validate())
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> new Operation.Embed(null, "m", java.util.Arrays.asList("a", null),
        null).validate()).hasMessageContaining("input[1]");
  }
}
