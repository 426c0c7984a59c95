package io.rbee.jobs.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.auth.TestToken;
import io.rbee.narration.Json;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Raw HTTP for tests that check exactly what goes over the wire. Every request carries the
 * test daemons' token ({@link TestToken}) unless it sets its own {@code Authorization}.
 */
final class Http {
  static final OkHttpClient CLIENT = new OkHttpClient.Builder()
      .readTimeout(Duration.ofSeconds(10))
      .addInterceptor(chain -> chain.proceed(chain.request().header("Authorization") != null
          ? chain.request()
          : chain.request().newBuilder()
              .header("Authorization", TestToken.TOKEN.authorization()).build()))
      .build();

  record Answer(int status, String contentType, String body) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  private Http() {}

  static Answer get(String url) throws IOException {
    return send(new Request.Builder().url(url).get().build());
  }

  static Answer delete(String url) throws IOException {
    return send(new Request.Builder().url(url).delete().build());
  }

  static Answer post(String url, String body) throws IOException {
    return send(new Request.Builder().url(url)
        .post(RequestBody.create(body, MediaType.get("application/json"))).build());
  }

  static Answer send(Request request) throws IOException {
    try (Response r = CLIENT.newCall(request).execute()) {
      return new Answer(r.code(), r.header("Content-Type"), r.body().string());
    }
  }
}
