package io.rbee.queen.hives;

/**
 * What {@code HiveInstall} did: {@code host} is {@code user@host:port}, {@code java} the first
 * line of the machine's {@code java -version}, {@code dist_dir} the distribution's folder there,
 * {@code files} and {@code dist_bytes} the whole distribution, {@code files_copied} and
 * {@code copied_bytes} what this install sent (0 when nothing changed).
 */
public record HiveInstallResult(String hiveId, String host, String java, String distDir,
    int files, long distBytes, int filesCopied, long copiedBytes) {}
