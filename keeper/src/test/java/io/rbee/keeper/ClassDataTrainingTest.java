package io.rbee.keeper;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The training run ./rbee records its class-data archive from gets through every command. */
class ClassDataTrainingTest {
  @Test
  void everyTrainingCommandSucceedsAgainstTheStandInQueen() throws Exception {
    assertThat(ClassDataTraining.train()).isEmpty();
  }
}
