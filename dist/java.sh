# Sourced by ./rbee and bench/run: finds the JDK 21+ that rbee runs on (virtual threads).
# find_java prints its java binary, or fails with nothing printed.
# The search: JAVA_HOME, then the java on PATH, then the usual install folders (newest wins).
# Every daemon and worker runs on the same one (children are started with this JVM's java).
java_feature() { # prints the feature version of the java binary $1 (17, 21, 25...), or nothing
  # the JDK's release file says it without starting a JVM (~80 ms each, several candidates)
  local real home v
  real=$(readlink -f "$1" 2>/dev/null || echo "$1")
  home="${real%/bin/java}"
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$home/release" | head -n 1)
    [ -n "$v" ] && { echo "$v"; return 0; }
  fi
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
find_java() {
  local candidates=() c v best="" best_v=0
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for c in /usr/lib/jvm/*/bin/java /usr/java/*/bin/java /opt/java/*/bin/java /opt/jdk*/bin/java \
      "$HOME"/.sdkman/candidates/java/*/bin/java "$HOME"/.jdks/*/bin/java \
      /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do
    [ -x "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    v=$(java_feature "$c")
    [ -n "$v" ] && [ "$v" -ge 21 ] || continue
    # JAVA_HOME or PATH win when they qualify; otherwise the newest found
    if [ -z "$best" ] && { [ "$c" = "${JAVA_HOME:-}/bin/java" ] || [ "$c" = "$(command -v java 2>/dev/null)" ]; }; then
      echo "$c"; return 0
    fi
    if [ "$v" -gt "$best_v" ]; then best="$c"; best_v="$v"; fi
  done
  [ -n "$best" ] && echo "$best"
}

# The message for a machine without one; callers print it and exit 2.
no_java_message() {
  echo "no JDK 21 or newer found (looked at JAVA_HOME, the java on PATH, /usr/lib/jvm,"
  echo "  SDKMAN and ~/.jdks). Install one, e.g. 'sudo apt install openjdk-21-jdk' or Temurin 21"
  echo "  from https://adoptium.net, or point JAVA_HOME at one."
}
