package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClient;
import io.rbee.testkit.daemons.Daemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rbee chat} as a real process against a real queen, hive and llama.cpp worker on the
 * demo model (which carries a ChatML chat template): turns from stdin, the conversation
 * carried from turn to turn, errors, and Ctrl-C (a real SIGINT) during an answer.
 */
class KeeperChatTest {
  static final String MODEL = "demo";
  private static final Pattern JOB_LINE = Pattern.compile("Job (job-[A-Za-z0-9._:-]+) answers");

  @TempDir static Path home;
  static Daemon queen;
  static JobClient jobs;

  @BeforeAll
  static void start() throws Exception {
    queen = DemoCluster.start(home).queen();
    jobs = queen.client();
  }

  @AfterAll
  static void stop() {
    queen.close();
  }

  @Test
  void eachLineIsATurnAndTheNextTurnCarriesTheConversation() throws Exception {
    Keeper.Result r = Keeper.runWithInput(home, Map.of(), "Tell me a story\nTell me a story\n",
        "--queen-url", queen.url(), "chat", "--model", MODEL, "--system", "You tell stories.",
        "--max-tokens", "8", "--temperature", "0");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> ids = jobIds(r.stderr());
    assertThat(ids).as(r.toString()).hasSize(2);
    JobRun first = follow(ids.get(0));
    JobRun second = follow(ids.get(1));
    assertThat(first.done().status()).as(first.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(second.done().status()).as(second.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    // stdout is the two answers and nothing else, each ended by a line break
    assertThat(r.stdout()).isEqualTo(lineEnded(first.text()) + lineEnded(second.text()));
    // the same question twice: only the conversation carried along (the first question and
    // its answer) can make the second prompt longer than the first
    assertThat(tokensIn(second.done())).as("prompt tokens of the second turn")
        .isGreaterThan(tokensIn(first.done()));
  }

  @Test
  void anUnknownModelIsOneErrorLineAndExitOne() throws Exception {
    Keeper.Result r = Keeper.runWithInput(home, Map.of(), "Hi\nHi again\n", "--queen-url", queen.url(),
        "chat", "--model", "no-such-model");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.stderr().strip().lines()).hasSize(1);
    assertThat(r.lastErrLine()).startsWith("error: not found on queen at " + queen.url())
        .contains("no-such-model").contains("rbee model download");
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void ctrlCStopsTheAnswerAndTheChatGoesOnToTheNextLine() throws Exception {
    Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored in this process tree (started"
        + " in the background without job control): a child cannot catch it");
    try (Keeper.Running chat = Keeper.start(home, Map.of(), "--queen-url", queen.url(), "chat",
        "--model", MODEL, "--max-tokens", "30000")) {
      chat.type("Tell me a long story");
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !chat.stdout().isEmpty());
      interrupt(chat);
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> count(chat.stderr(), "chat_stopped") == 1);
      String firstJob = jobIds(chat.stderr()).get(0);
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> jobs.status(firstJob).status().isFinal());
      assertThat(jobs.status(firstJob).status()).isEqualTo(JobStatus.CANCELLED);
      assertThat(chat.stdout()).endsWith("\n");

      // the session goes on: the next line is a turn of its own, stopped the same way
      int before = chat.stdout().length();
      chat.type("Go on");
      Awaitility.await().atMost(Duration.ofSeconds(60))
          .until(() -> chat.stdout().length() > before && jobIds(chat.stderr()).size() == 2);
      interrupt(chat);
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> count(chat.stderr(), "chat_stopped") == 2);
      chat.endInput();
      Keeper.Result r = chat.await();

      assertThat(r.exitCode()).as(r.toString()).isZero();
      String secondJob = jobIds(r.stderr()).get(1);
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> jobs.status(secondJob).status().isFinal());
      assertThat(jobs.status(secondJob).status()).isEqualTo(JobStatus.CANCELLED);
      assertThat(r.stderr()).doesNotContain("Exception");
    }
  }

  private static JobRun follow(String jobId) throws Exception {
    return JobRun.follow(jobs, new Submitted(jobId, "/v1/jobs/" + jobId + "/stream"));
  }

  private static List<String> jobIds(String stderr) {
    Matcher m = JOB_LINE.matcher(stderr);
    return m.results().map(g -> g.group(1)).toList();
  }

  private static String lineEnded(String answer) {
    return answer.endsWith("\n") ? answer : answer + "\n";
  }

  private static long tokensIn(Done done) {
    Object n = done.stats() == null ? null : done.stats().get("tokens_in");
    assertThat(n).as("tokens_in of job " + done.jobId()).isInstanceOf(Number.class);
    return ((Number) n).longValue();
  }

  private static long count(String text, String word) {
    return Pattern.compile(Pattern.quote(word)).matcher(text).results().count();
  }

  /** Ctrl-C, as a terminal sends it: SIGINT to the keeper's process. */
  private static void interrupt(Keeper.Running chat) throws Exception {
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(chat.pid())).start();
    assertThat(kill.waitFor()).as("kill -INT " + chat.pid()).isZero();
  }

  /** True when SIGINT is ignored here, and so in every child (Linux: /proc/self/status). */
  private static boolean sigintIgnored() throws Exception {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return false;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        long mask = Long.parseUnsignedLong(line.substring(7).strip(), 16);
        return (mask & (1L << 1)) != 0; // SIGINT is signal 2: bit 1
      }
    }
    return false;
  }
}
