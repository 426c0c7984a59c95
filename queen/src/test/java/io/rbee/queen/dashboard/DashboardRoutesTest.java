package io.rbee.queen.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.ClusterStatus;
import io.rbee.jobs.DeviceInfo;
import io.rbee.jobs.HiveHeartbeat;
import io.rbee.jobs.HiveInfo;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.narration.Json;
import io.rbee.queen.QueenApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's routes on a real queen (in this JVM, no local hive): the open page and
 * assets, the login that trades the token for a session cookie, the cookie standing for the
 * token on the API, and {@code GET /v1/cluster} from the live registry.
 */
class DashboardRoutesTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path home;
  static AccessToken token;
  static QueenApp queen;
  static String base;

  @BeforeAll
  static void start() {
    token = AccessToken.generate("test");
    queen = new QueenApp(home, token, "127.0.0.1", 0, false);
    base = queen.http().baseUrl();
  }

  @AfterAll
  static void stop() {
    queen.close();
  }

  @Test
  void thePageAndItsAssetsAreOpenUncachedAndUnderAStrictPolicy() throws Exception {
    HttpResponse<String> page = send(get("/"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
        assertThat(csp).startsWith("default-src 'self'").contains("script-src 'self';")
            .doesNotContain("unsafe"));
    // no inline script or handler: the CSP would refuse them
    assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\ssrc=)")
        .doesNotContainPattern("\\son[a-z]+=").doesNotContain("style=");
    Matcher refs = Pattern.compile("(?:src|href)=\"/dashboard/([^\"]+)\"").matcher(page.body());
    int n = 0;
    while (refs.find()) {
      n++;
      assertThat(DashboardRoutes.ASSETS).containsKey(refs.group(1));
    }
    assertThat(n).isEqualTo(2);
    for (var asset : DashboardRoutes.ASSETS.entrySet()) {
      HttpResponse<String> r = send(get("/dashboard/" + asset.getKey()));
      assertThat(r.statusCode()).as(asset.getKey()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).as(asset.getKey())
          .hasValue(asset.getValue());
      assertThat(r.headers().firstValue("Content-Security-Policy")).isPresent();
      assertThat(r.body()).isNotBlank();
    }
    // only the page's own files are open: another name needs the token like any path
    assertThat(send(get("/dashboard/secret.js")).statusCode()).isEqualTo(401);
    HttpResponse<String> missing = send(get("/dashboard/secret.js").header("Cookie", login()));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("\"code\":\"not_found\"");
  }

  @Test
  void aPathThatClimbsOutOfTheAssetsIsNotOpen() throws Exception {
    for (String path : List.of("/dashboard/../v1/cluster", "/dashboard/%2e%2e/v1/cluster",
        "/dashboard/app.js/../../v1/cluster", "//v1/cluster")) {
      HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path)).GET());
      assertThat(r.statusCode()).as(path + ": " + r.body()).isNotEqualTo(200);
      assertThat(r.body()).as(path).doesNotContain("queen_url");
    }
  }

  @Test
  void loginWithTheTokenSetsAnHttpOnlyStrictCookieThatOpensTheApi() throws Exception {
    assertThat(send(get("/v1/cluster")).statusCode()).isEqualTo(401);

    String cookie = login();

    HttpResponse<String> cluster = send(get("/v1/cluster").header("Cookie", cookie));
    assertThat(cluster.statusCode()).as(cluster.body()).isEqualTo(200);
    HttpResponse<String> jobs = send(get("/v1/jobs/job-nope").header("Cookie", cookie));
    assertThat(jobs.statusCode()).as("past the guard: the job is unknown").isEqualTo(404);
  }

  @Test
  void aWrongTokenAtLoginIs401JsonAndSetsNoCookie() throws Exception {
    HttpResponse<String> r = send(post("/v1/session", "{\"token\": \"rbee_wrong\"}"));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("\"code\":\"unauthorized\"").doesNotContain("rbee_wrong");
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(send(post("/v1/session", "{}")).statusCode()).isEqualTo(400);
  }

  @Test
  void aLoggedOutOrMadeUpCookieIsRefused() throws Exception {
    String cookie = login();
    HttpResponse<String> out = send(HttpRequest.newBuilder(URI.create(base + "/v1/session"))
        .DELETE().header("Cookie", cookie));
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(out.headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
        assertThat(c).startsWith("rbee_session=;").contains("Max-Age=0"));

    HttpResponse<String> after = send(get("/v1/cluster").header("Cookie", cookie));
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.body()).contains("session cookie is expired or unknown");
    assertThat(send(get("/v1/cluster").header("Cookie", "rbee_session=made-up")).statusCode())
        .isEqualTo(401);
  }

  @Test
  void aPresentBearerHeaderDecidesEvenBesideALiveCookie() throws Exception {
    String cookie = login();
    HttpResponse<String> r = send(get("/v1/cluster").header("Cookie", cookie)
        .header("Authorization", "Bearer rbee_not-the-token"));
    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void aCookieRequestFromAnotherOriginIsRefused() throws Exception {
    String cookie = login();
    HttpResponse<String> r = send(post("/v1/jobs", "{\"operation\": {\"Status\": {}}}")
        .header("Cookie", cookie).header("Origin", "http://evil.example"));
    assertThat(r.statusCode()).isEqualTo(403);
    HttpResponse<String> own = send(post("/v1/jobs", "{\"operation\": {\"Status\": {}}}")
        .header("Cookie", cookie).header("Origin", base));
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
  }

  @Test
  void theClusterShowsAHiveWithTheDevicesOfItsNewestBeat() throws Exception {
    DeviceInfo gpu = new DeviceInfo("cuda:0", "cuda", "Test GPU", 8L << 30, 6L << 30, null);
    HiveHeartbeat beat = new HiveHeartbeat("gpu-box", "http://127.0.0.1:1", 1000, 1,
        List.of(gpu), List.of(), List.of());
    HttpResponse<String> ack = send(post("/v1/hives/gpu-box/heartbeat", Json.write(beat))
        .header("Authorization", token.authorization()));
    assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);

    String cookie = login();
    ClusterStatus cluster = Json.read(
        send(get("/v1/cluster").header("Cookie", cookie)).body(), ClusterStatus.class);
    assertThat(cluster.queenUrl()).isEqualTo(base);
    assertThat(cluster.hives()).extracting(HiveInfo::hiveId).contains("localhost", "gpu-box");
    HiveInfo local = cluster.hives().stream().filter(h -> h.hiveId().equals("localhost"))
        .findFirst().orElseThrow();
    assertThat(local.state()).as("never beat: not asked, unknown").isEqualTo("unknown");
    HiveInfo box = cluster.hives().stream().filter(h -> h.hiveId().equals("gpu-box"))
        .findFirst().orElseThrow();
    assertThat(box.state()).isEqualTo("running");
    assertThat(box.liveness()).isEqualTo("fresh");
    assertThat(box.devices()).containsExactly(gpu);
    assertThat(box.lastBeatMsAgo()).isBetween(0L, 10_000L);
  }

  /** Logs in with the token; the {@code Cookie} header value the browser would send. */
  private static String login() throws Exception {
    HttpResponse<String> r = send(post("/v1/session",
        "{\"token\": \"" + token.value() + "\"}"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).matches("rbee_session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=43200;"
        + " HttpOnly; SameSite=Strict");
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).GET();
  }

  private static HttpRequest.Builder post(String path, String json) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
