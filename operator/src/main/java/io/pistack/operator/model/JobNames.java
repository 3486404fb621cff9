package io.pistack.operator.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Deterministic names of the Jobs the operator runs, so that a reconcile finds the Job it created
 * before instead of creating another. Names fit the 63 characters of the job-name label the Job
 * controller adds; a hash of the full input keeps truncated or sanitised names distinct.
 */
public final class JobNames {
  static final int MAX = 63;

  private JobNames() {}

  /** {@code <stack>-pre-upgrade-<sanitised version>-<hash>}: one Job per target version. */
  public static String preUpgrade(ResolvedStack stack, String targetVersion) {
    return fit(stack.name() + "-pre-upgrade", sanitise(targetVersion), hash(targetVersion, 6));
  }

  /** {@code <stack>-restore-<hash of the request's key and force>}: one Job per restore request. */
  public static String restore(ResolvedStack stack, BackupSettings.RestoreRequest request) {
    return fit(stack.name() + "-restore", "", hash(request.key() + "|" + request.force(), 8));
  }

  /** {@code <stack>-verify-<hash of the backup name>}: one verification Job per backup. */
  public static String verify(ResolvedStack stack, String backupName) {
    return fit(stack.name() + "-verify", "", hash(backupName, 8));
  }

  /** Lower case, [a-z0-9-] only, no leading, trailing or repeated dashes. */
  static String sanitise(String s) {
    String out = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-");
    return trimDashes(out);
  }

  static String fit(String prefix, String middle, String hash) {
    int room = MAX - prefix.length() - hash.length() - 2;
    String m = middle;
    if (m.length() > Math.max(room, 0)) {
      m = trimDashes(m.substring(0, Math.max(room, 0)));
    }
    String p = prefix;
    if (m.isEmpty()) {
      int prefixRoom = MAX - hash.length() - 1;
      p = p.length() > prefixRoom ? trimDashes(p.substring(0, prefixRoom)) : p;
      return p + "-" + hash;
    }
    return p + "-" + m + "-" + hash;
  }

  static String hash(String input, int length) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, length);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String trimDashes(String s) {
    return s.replaceAll("^[-.]+", "").replaceAll("[-.]+$", "");
  }
}
