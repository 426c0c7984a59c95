package io.rbee.queen.hives;

/**
 * What {@code HiveInstall} did: {@code host} is {@code user@host:port}, {@code java} the first
 * line of the machine's {@code java -version}, {@code dist_dir} the distribution's folder there.
 */
public record HiveInstallResult(String hiveId, String host, String java, String distDir,
    int files, int filesCopied, long bytesCopied) {}
