package io.rbee.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.rbee.jobs.server.JobServer;
import io.rbee.narration.Broadcaster;
import io.rbee.testkit.jobs.TestJob;
import org.junit.jupiter.api.Test;

/**
 * The seed's rule, checked on the compiled code (every call site, however it reaches the
 * broadcaster): only the code that creates jobs — the shared job server — opens job channels,
 * and operation code (hive, queen, worker) and the keeper never touch the broadcaster at all:
 * they narrate through the job they are handed.
 */
class ChannelOwnershipTest {
  private static final JavaClasses RBEE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.rbee");

  /** Only the job server opens channels (the test job of testkit stands in for it in tests). */
  static final ArchRule ONLY_THE_JOB_SERVER_OPENS_CHANNELS = noClasses()
      .that().doNotBelongToAnyOf(JobServer.class, TestJob.class)
      .should().callMethod(Broadcaster.class, "open", String.class)
      .orShould().callMethod(Broadcaster.class, "open", String.class,
          java.util.function.Consumer.class)
      .because("the code that creates a job creates its channel; operation code gets a job");

  /** Operation code and the keeper reach narration only through their job. */
  static final ArchRule OPERATION_CODE_NEVER_TOUCHES_THE_BROADCASTER = noClasses()
      .that().resideInAnyPackage("io.rbee.hive..", "io.rbee.queen..", "io.rbee.worker..",
          "io.rbee.keeper..")
      .should().dependOnClassesThat().areAssignableTo(Broadcaster.class)
      .because("narration goes through job.narrate(...), not a global and a repeated job id");

  @Test
  void onlyTheJobServerOpensJobChannels() {
    assertThat(RBEE.contain(JobServer.class)).isTrue(); // the import saw the real code
    ONLY_THE_JOB_SERVER_OPENS_CHANNELS.check(RBEE);
  }

  @Test
  void operationCodeNeverTouchesTheBroadcaster() {
    assertThat(RBEE.contain(io.rbee.hive.Hive.class)).isTrue();
    OPERATION_CODE_NEVER_TOUCHES_THE_BROADCASTER.check(RBEE);
  }

  /** The rules catch what a regex on sources did not: the broadcaster held in a variable. */
  @Test
  void theRulesCatchAChannelOpenedThroughAVariable() {
    JavaClasses rogue = new ClassFileImporter().importClasses(RogueHiveCode.class);

    EvaluationResult opens = ONLY_THE_JOB_SERVER_OPENS_CHANNELS.evaluate(rogue);

    assertThat(opens.hasViolation()).isTrue();
    assertThat(opens.getFailureReport().getDetails())
        .anySatisfy(d -> assertThat(d).contains("RogueHiveCode").contains("open"));
  }

  /** What the rule must refuse: {@code var b = Broadcaster.global(); b.open(id)}. */
  static final class RogueHiveCode {
    void sneak(String id) {
      var b = Broadcaster.global();
      b.open(id);
    }
  }
}
