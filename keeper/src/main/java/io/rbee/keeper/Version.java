package io.rbee.keeper;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code rbee --version}: the build's version, from a resource Maven fills in. */
public final class Version implements IVersionProvider {
  /** The version of this build ("dev" when run from classes Maven did not filter). */
  public static String current() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank() && !v.startsWith("${")) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through: a version is nice to have, never worth failing for
    }
    return "dev";
  }

  @Override
  public String[] getVersion() {
    return new String[] {"rbee " + current() + " (Java " + Runtime.version() + ")"};
  }
}
