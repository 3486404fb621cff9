package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.pistack.operator.model.SecretDigests.Digest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the operator keeps of a Secret (see {@link SecretDigests}): its metadata and one SHA-256 per
 * key of the value, never a value; and, for the embedded database, which keys hold no valid user name.
 */
public final class SlimSecrets {
  /** The type of a slim Secret (no Secret from the API server has it). */
  static final String SLIM = "pistack.io/digests-only";
  /** The slim Secret's annotation: the keys whose value is no database user name, as key=problem,... */
  static final String NOT_USER_NAMES = "pistack.io/not-user-names";

  private SlimSecrets() {}

  /**
   * A Secret reduced to what the operator keeps: name, namespace, uid, resourceVersion, labels,
   * owner references, and in {@code stringData} the digest of each key; its type is {@link #SLIM}.
   * {@code data} is dropped.
   */
  public static Secret slim(Secret s) {
    Secret slim = new Secret();
    slim.setApiVersion(s.getApiVersion());
    slim.setKind(s.getKind());
    slim.setMetadata(new ObjectMetaBuilder().withName(s.getMetadata().getName())
        .withNamespace(s.getMetadata().getNamespace()).withUid(s.getMetadata().getUid())
        .withResourceVersion(s.getMetadata().getResourceVersion())
        .withLabels(s.getMetadata().getLabels())
        .withOwnerReferences(s.getMetadata().getOwnerReferences())
        .withDeletionTimestamp(s.getMetadata().getDeletionTimestamp()).build());
    String notUserNames = notUserNames(s).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().name())
        .collect(java.util.stream.Collectors.joining(","));
    if (!notUserNames.isEmpty()) {
      slim.getMetadata().setAnnotations(Map.of(NOT_USER_NAMES, notUserNames));
    }
    slim.setStringData(keys(s));
    slim.setData(null);
    slim.setType(SLIM);
    return slim;
  }

  /** The digest of each key, of a slim or a full Secret. */
  public static Map<String, String> keys(Secret s) {
    if (SLIM.equals(s.getType())) {
      return s.getStringData() == null ? Map.of() : s.getStringData();
    }
    Map<String, String> keys = new TreeMap<>();
    // An API server never returns stringData; a test double may keep it: digest it as data.
    if (s.getStringData() != null) {
      s.getStringData().forEach((k, v) -> keys.put(k, sha256(java.util.Base64.getEncoder()
          .encodeToString((v == null ? "" : v).getBytes(StandardCharsets.UTF_8)))));
    }
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> keys.put(k, sha256(v == null ? "" : v)));
    }
    return keys;
  }

  public static Digest digest(Secret s) {
    return new Digest(s.getMetadata().getUid(), keys(s), notUserNames(s));
  }

  /** The keys whose value is no database user name, and why: read from a slim Secret, decided for a full one. */
  static Map<String, DatabaseUserName.Problem> notUserNames(Secret s) {
    Map<String, DatabaseUserName.Problem> found = new TreeMap<>();
    if (SLIM.equals(s.getType())) {
      String kept = s.getMetadata().getAnnotations() == null ? null : s.getMetadata().getAnnotations().get(NOT_USER_NAMES);
      if (kept != null && !kept.isEmpty()) {
        for (String entry : kept.split(",")) {
          int eq = entry.lastIndexOf('=');
          found.put(entry.substring(0, eq), DatabaseUserName.Problem.valueOf(entry.substring(eq + 1)));
        }
      }
      return found;
    }
    if (s.getStringData() != null) {
      s.getStringData().forEach((k, v) -> DatabaseUserName.problem(v == null ? "" : v).ifPresent(p -> found.put(k, p)));
    }
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> DatabaseUserName.problem(decoded(v)).ifPresent(p -> found.put(k, p)));
    }
    return found;
  }

  private static String decoded(String base64) {
    try {
      return base64 == null ? "" : new String(java.util.Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return "\0";
    }
  }

  /** The digest {@link #keys} gives a key holding {@code value}: compares a value without keeping it. */
  public static String digestOf(String value) {
    return sha256(java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
