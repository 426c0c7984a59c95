package io.rbee.hive.models;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.OperationException;
import io.rbee.narration.Redactor;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a user names to download a model, parsed: a Hugging Face file, a URL, or the demo model.
 * Each kind knows its catalog id ({@link #id()}), the reference as given ({@link #source()}) and
 * where its file lives under the catalog's files directory ({@link #relativeFile()}).
 */
public sealed interface ModelReference {
  /** The Hugging Face endpoint used when {@code RBEE_HF_ENDPOINT} is unset. */
  String DEFAULT_HF_ENDPOINT = "https://huggingface.co";

  /** The three accepted forms, for error messages. */
  String FORMS = "a Hugging Face file \"org/repo:file.gguf\", an http(s):// URL of a GGUF file,"
      + " or \"demo\" (the generated demo model)";

  /** The id the model has in the catalog ({@code Infer.model} names it). */
  String id();

  /** The reference as the user gave it, less any credentials in it. */
  String source();

  /** Where the file goes, relative to the catalog's files directory; never escapes it. */
  Path relativeFile();

  /** Parses {@code ref}, resolving Hugging Face files against {@code RBEE_HF_ENDPOINT}. */
  static ModelReference parse(String ref) {
    String env = System.getenv("RBEE_HF_ENDPOINT");
    return parse(ref, env == null || env.isBlank() ? DEFAULT_HF_ENDPOINT : env);
  }

  /**
   * Parses {@code ref}, resolving Hugging Face files against {@code hfEndpoint}
   * ({@code https://huggingface.co} or a mirror). Throws {@link OperationException}
   * {@code invalid_model_reference} naming what was given and the accepted forms.
   */
  static ModelReference parse(String ref, String hfEndpoint) {
    if (ref == null || ref.isBlank()) {
      throw invalid(ref, "it is empty");
    }
    String r = ref.strip();
    if (r.equals(Demo.ID)) {
      return new Demo();
    }
    String lower = r.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return Url.parse(r);
    }
    if (r.contains("://")) {
      throw invalid(r, "only http:// and https:// URLs can be downloaded");
    }
    return HuggingFace.parse(r, hfEndpoint);
  }

  private static OperationException invalid(String ref, String why) {
    return new OperationException(ErrorKind.INVALID_MODEL_REFERENCE,
        "model reference \"" + (ref == null ? "" : ref.strip()) + "\" is not valid (" + why
            + "); give " + FORMS);
  }

  /** The built-in demo model, generated on the hive (random weights). */
  record Demo() implements ModelReference {
    public static final String ID = "demo";

    @Override
    public String id() {
      return ID;
    }

    @Override
    public String source() {
      return ID;
    }

    @Override
    public Path relativeFile() {
      return Path.of("demo", io.rbee.gguf.DemoModel.FILE_NAME);
    }
  }

  /** A GGUF file at an http(s) URL; its id is the URL's decoded file name. */
  record Url(URI url, String fileName) implements ModelReference {
    static Url parse(String ref) {
      URI uri;
      try {
        uri = new URI(ref);
      } catch (URISyntaxException e) {
        throw invalid(ref, "not a URL: " + e.getReason());
      }
      if (uri.getHost() == null) {
        throw invalid(ref, "the URL has no host");
      }
      String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
      String last = rawPath.substring(rawPath.lastIndexOf('/') + 1);
      String name = URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8);
      if (!safeFileName(name)) {
        throw invalid(ref, "the URL must end in a file name, such as .../model.gguf");
      }
      return new Url(uri, name);
    }

    @Override
    public String id() {
      return fileName;
    }

    /**
     * The URL without its credentials: no user info, and signed or secret query values
     * masked ({@link Redactor}). This is what the catalog stores and shows; the download
     * uses {@link #url()} itself.
     */
    @Override
    public String source() {
      String withoutUser;
      try {
        withoutUser = new URI(url.getScheme(), null, url.getHost(), url.getPort(),
            url.getRawPath() == null ? null : url.getPath(), null, null).toString();
      } catch (URISyntaxException e) {
        withoutUser = url.getScheme() + "://" + url.getHost() + url.getRawPath();
      }
      String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
      return Redactor.redact(withoutUser + query);
    }

    @Override
    public Path relativeFile() {
      return Path.of("url", fileName);
    }
  }

  /** A file of a Hugging Face model repository, {@code org/repo:file.gguf}. */
  record HuggingFace(String org, String repo, String file, URI url) implements ModelReference {
    private static final Pattern FORM =
        Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)/([A-Za-z0-9][A-Za-z0-9._-]*):(.+)");

    static HuggingFace parse(String ref, String endpoint) {
      Matcher m = FORM.matcher(ref);
      if (!m.matches()) {
        throw invalid(ref, "not org/repo:file.gguf");
      }
      String file = m.group(3);
      if (!file.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")) {
        throw invalid(ref, "the file after ':' must be a .gguf file");
      }
      for (String segment : file.split("/", -1)) {
        if (!safeFileName(segment)) {
          throw invalid(ref, "the file path \"" + file + "\" has an empty, '.' or '..' part");
        }
      }
      String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1)
          : endpoint;
      URI url;
      try {
        url = new URI(base + "/" + m.group(1) + "/" + m.group(2) + "/resolve/main/"
            + encodePath(file));
      } catch (URISyntaxException e) {
        throw new OperationException(ErrorKind.INVALID_MODEL_REFERENCE,
            "Hugging Face endpoint \"" + endpoint + "\" is not a URL: " + e.getReason());
      }
      return new HuggingFace(m.group(1), m.group(2), file, url);
    }

    @Override
    public String id() {
      return org + "/" + repo + ":" + file;
    }

    @Override
    public String source() {
      return id();
    }

    @Override
    public Path relativeFile() {
      return Path.of("hf", org, repo).resolve(file);
    }
  }

  private static boolean safeFileName(String name) {
    return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
        && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
  }

  private static String encodePath(String path) {
    StringBuilder out = new StringBuilder();
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "-._~/".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
