package io.rbee.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.queen.hives.HiveLifecycle;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/**
 * Where the token's value may go, checked on the compiled code of the programs: into the
 * token file, into a child's environment ({@code RBEE_TOKEN}, by the two places that start
 * rbee daemons), and into an {@code Authorization} header ({@link AccessToken#authorization()},
 * which only the job client and the keeper's one plain read send). Anywhere else — a narration,
 * a log line, a command line — it would have to be read through these methods first. A new
 * place with a reason to hand the token on (copying it to a remote hive) is added here, on
 * purpose. And the daemons' bearer check compares in constant time.
 */
class TokenUseTest {
  private static final JavaClasses PROGRAMS = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.rbee.jobs", "io.rbee.hive", "io.rbee.queen", "io.rbee.worker",
          "io.rbee.keeper");

  /** The hive's worker launcher (package-private there). */
  private static final String WORKER_SPAWNER = "io.rbee.hive.workers.WorkerSpawner";

  static final ArchRule ONLY_THE_FILE_AND_CHILD_LAUNCHES_READ_THE_VALUE = noClasses()
      .that().doNotBelongToAnyOf(AccessToken.class, TokenFile.class, HiveLifecycle.class)
      .and().doNotHaveFullyQualifiedName(WORKER_SPAWNER)
      .should().callMethod(AccessToken.class, "value")
      .because("the token goes into its file, a child's environment and a header only");

  static final ArchRule ONLY_CLIENTS_BUILD_THE_HEADER = noClasses()
      .that().doNotBelongToAnyOf(io.rbee.jobs.client.JobClient.class,
          io.rbee.keeper.queen.HttpQueenApi.class)
      .should().callMethod(AccessToken.class, "authorization")
      .because("the Authorization header is sent by the job client (and the keeper's log read)");

  /** The daemons' check compares through the token, and the token compares in constant time. */
  static final ArchRule THE_CHECK_IS_CONSTANT_TIME = classes()
      .that().haveFullyQualifiedName("io.rbee.jobs.server.AccessGuard")
      .should().callMethod(AccessToken.class, "matches", String.class)
      .andShould().onlyBeAccessed().byClassesThat().resideInAPackage("io.rbee.jobs.server");

  static final ArchRule MATCHING_USES_MESSAGE_DIGEST_IS_EQUAL = classes()
      .that().belongToAnyOf(AccessToken.class)
      .should().callMethod(MessageDigest.class, "isEqual", byte[].class, byte[].class);

  @Test
  void theBearerCheckUsesTheConstantTimeComparison() {
    THE_CHECK_IS_CONSTANT_TIME.check(PROGRAMS);
    MATCHING_USES_MESSAGE_DIGEST_IS_EQUAL.check(PROGRAMS);
  }

  @Test
  void theTokensValueGoesOnlyIntoItsFileAChildsEnvironmentAndAHeader() {
    assertThat(PROGRAMS.contain(WORKER_SPAWNER)).isTrue(); // the import saw the real code
    ONLY_THE_FILE_AND_CHILD_LAUNCHES_READ_THE_VALUE.check(PROGRAMS);
    ONLY_CLIENTS_BUILD_THE_HEADER.check(PROGRAMS);
  }
}
