package io.rbee.hive.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.OperationException;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ModelReferenceTest {

  @Test
  void huggingFaceFileResolvesAgainstTheGivenEndpoint() {
    ModelReference ref = ModelReference.parse(
        "TheBloke/TinyLlama-1.1B-GGUF:tinyllama.Q4_K_M.gguf", "http://127.0.0.1:4567/");

    assertThat(ref).isInstanceOf(ModelReference.HuggingFace.class);
    assertThat(((ModelReference.HuggingFace) ref).url()).isEqualTo(URI.create(
        "http://127.0.0.1:4567/TheBloke/TinyLlama-1.1B-GGUF/resolve/main/tinyllama.Q4_K_M.gguf"));
    assertThat(ref.id()).isEqualTo("TheBloke/TinyLlama-1.1B-GGUF:tinyllama.Q4_K_M.gguf");
    assertThat(ref.source()).isEqualTo(ref.id());
    assertThat(ref.relativeFile())
        .isEqualTo(Path.of("hf", "TheBloke", "TinyLlama-1.1B-GGUF", "tinyllama.Q4_K_M.gguf"));
  }

  @Test
  void huggingFaceDefaultsToHuggingFaceCoAndEncodesTheFilePath() {
    ModelReference.HuggingFace ref = (ModelReference.HuggingFace) ModelReference.parse(
        "org/repo:sub dir/model.gguf", ModelReference.DEFAULT_HF_ENDPOINT);

    assertThat(ref.url().toString())
        .isEqualTo("https://huggingface.co/org/repo/resolve/main/sub%20dir/model.gguf");
    assertThat(ref.relativeFile()).isEqualTo(Path.of("hf/org/repo/sub dir/model.gguf"));
  }

  @Test
  void urlIdIsItsDecodedFileName() {
    ModelReference ref =
        ModelReference.parse("https://example.com/files/my%20model+v2.gguf?download=true");

    assertThat(ref).isInstanceOf(ModelReference.Url.class);
    assertThat(ref.id()).isEqualTo("my model+v2.gguf");
    assertThat(ref.source()).isEqualTo("https://example.com/files/my%20model+v2.gguf?download=true");
    assertThat(ref.relativeFile()).isEqualTo(Path.of("url", "my model+v2.gguf"));
  }

  @Test
  void demoIsTheGeneratedModel() {
    ModelReference ref = ModelReference.parse("demo");

    assertThat(ref).isInstanceOf(ModelReference.Demo.class);
    assertThat(ref.id()).isEqualTo("demo");
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "ftp://example.com/m.gguf", "org/repo:model.bin",
      "org/repo:../evil.gguf", "org/repo", "https://example.com/", "https://example.com/a/..",
      "https://example.com/a/%2F", "/org/repo:m.gguf", "  "})
  void anythingElseIsRejectedNamingTheAcceptedForms(String given) {
    OperationException e = catchThrowableOfType(OperationException.class,
        () -> ModelReference.parse(given, ModelReference.DEFAULT_HF_ENDPOINT));

    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_MODEL_REFERENCE);
    assertThat(e.getMessage()).contains("\"" + given.strip() + "\"")
        .contains("org/repo:file.gguf").contains("http(s)://").contains("\"demo\"");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
      https://me:hunter2@mirror.example/m.gguf                 | https://mirror.example/m.gguf
      https://me:p%40ss@mirror.example:8443/d/m.gguf           | https://mirror.example:8443/d/m.gguf
      https://b.s3.example/m.gguf?X-Amz-Signature=abc123&x=1   | https://b.s3.example/m.gguf?X-Amz-Signature=[REDACTED]&x=1
      https://h.example/m.gguf?sig=abc&Token=t0k3n             | https://h.example/m.gguf?sig=[REDACTED]&Token=[REDACTED]
      """)
  void aUrlsSourceCarriesNoCredentialsButTheDownloadUrlKeepsThem(String given, String source) {
    ModelReference.Url ref = (ModelReference.Url) ModelReference.parse(given, "https://hf.example");

    assertThat(ref.source()).isEqualTo(source);
    assertThat(ref.url().toString()).isEqualTo(given);
    assertThat(ref.id()).isEqualTo("m.gguf");
  }
}
