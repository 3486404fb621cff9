package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Rotated Secrets reach the pods: what the operator keeps of a Secret, and the pod-template
 * annotation that changes when the data a pod uses changes.
 *
 * <p>The operator keeps, per Secret of a watched namespace, only its metadata (name, uid, owner
 * references) and one SHA-256 per key of the value ({@link SlimSecrets}): never a value. A pod template
 * references Secrets through env {@code secretKeyRef}, {@code envFrom} and Secret volumes
 * ({@link #references}); its {@value #ANNOTATION} annotation is a digest of exactly the keys it
 * references (a whole Secret for envFrom and volumes), so a change to any of them rolls that
 * Deployment and nothing else, and a change to anything else (other keys, labels, annotations,
 * owner references) does not. Each Secret's part is an HMAC keyed by the Secret's uid: someone who
 * may read Deployments but not Secrets cannot test guesses of a value against the annotation.
 * Stateless: the same Secrets give the same annotation after a restart, and a template that
 * references no Secret carries none.
 */
public final class SecretDigests {
  /** The pod-template annotation. */
  public static final String ANNOTATION = "pistack.io/secrets-hash";
  /** What stands for the generated credentials in the annotation (see {@link #annotation}). */
  static final String GENERATED_CREDENTIALS = "application-user";
  /** A reference to every key of a Secret (envFrom, a Secret volume). */
  public static final String ALL_KEYS = "*";

  private SecretDigests() {}

  /**
   * What is known of one Secret: its uid, the digest of each key's value, and for each key whose value
   * the embedded database would not create as a user, why (DatabaseUserName; no value kept).
   */
  public record Digest(String uid, Map<String, String> keys, Map<String, DatabaseUserName.Problem> notUserNames) {
    public Digest(String uid, Map<String, String> keys) {
      this(uid, keys, Map.of());
    }
  }

  /** Finds the digest of a Secret of the stack's namespace by name. */
  @FunctionalInterface
  public interface Lookup {
    Optional<Digest> find(String name);

    Lookup NONE = name -> Optional.empty();

    /** The Secrets read once, by name: a value, not a callback into a cache. */
    static Lookup of(Map<String, Digest> read) {
      Map<String, Digest> copy = Map.copyOf(read);
      return name -> Optional.ofNullable(copy.get(name));
    }
  }

  /** The Secrets a pod spec references: name to keys ({@link #ALL_KEYS} for the whole Secret). */
  public static Map<String, TreeSet<String>> references(PodSpec pod) {
    Map<String, TreeSet<String>> refs = new TreeMap<>();
    Stream.concat(list(pod.getInitContainers()).stream(), list(pod.getContainers()).stream())
        .forEach(c -> container(c, refs));
    for (Volume v : list(pod.getVolumes())) {
      if (v.getSecret() != null && v.getSecret().getSecretName() != null) {
        add(refs, v.getSecret().getSecretName(), ALL_KEYS);
      }
      if (v.getProjected() != null) {
        for (VolumeProjection p : list(v.getProjected().getSources())) {
          if (p.getSecret() != null && p.getSecret().getName() != null) {
            add(refs, p.getSecret().getName(), ALL_KEYS);
          }
        }
      }
    }
    return refs;
  }

  private static void container(Container c, Map<String, TreeSet<String>> refs) {
    for (EnvVar e : list(c.getEnv())) {
      if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null
          && e.getValueFrom().getSecretKeyRef().getName() != null) {
        add(refs, e.getValueFrom().getSecretKeyRef().getName(), e.getValueFrom().getSecretKeyRef().getKey());
      }
    }
    for (EnvFromSource e : list(c.getEnvFrom())) {
      if (e.getSecretRef() != null && e.getSecretRef().getName() != null) {
        add(refs, e.getSecretRef().getName(), ALL_KEYS);
      }
    }
  }

  /**
   * The annotation of a pod template that references {@code refs}, or empty when it references
   * none. The generated Secrets' data is left out: the operator creates them and changes the
   * credentials only once, from root to the application user; counting their data would roll every
   * new stack's pods a second time (the first template is built before the Secret exists). The
   * generated credentials count as a constant marker instead (that one change rolls the pods once,
   * with the operator upgrade that makes it); root's and the backup user's Secrets do not count at all.
   */
  public static Optional<String> annotation(ResolvedStack stack, Map<String, TreeSet<String>> refs) {
    Map<String, TreeSet<String>> counted = new TreeMap<>(refs);
    StringBuilder all = new StringBuilder();
    if (stack.database().generatesCredentials() && counted.remove(stack.generatedCredentialsSecretName()) != null) {
      // The generated credentials changed once, from root to the application user (DatabaseUserMigration):
      // this marker rolls the pods of stacks created before then once, onto the new user.
      all.append(stack.generatedCredentialsSecretName()).append("=").append(GENERATED_CREDENTIALS).append('\n');
    }
    counted.keySet().removeAll(uncounted(stack));
    if (counted.isEmpty() && all.length() == 0) {
      return Optional.empty();
    }
    counted.forEach((name, keys) -> {
      all.append(name).append('=');
      all.append(stack.secrets().find(name).map(d -> part(d, keys)).orElse("absent")).append('\n');
    });
    return Optional.of(SlimSecrets.sha256(all.toString()).substring(0, 32));
  }

  /**
   * The generated Secrets that no annotation counts: the embedded database's root and backup user's, Qdrant's
   * API key; each is created once and never change, so counting them would only roll a new stack's database pod a second time
   * (its first template is built before they exist).
   */
  private static Set<String> uncounted(ResolvedStack stack) {
    Set<String> generated = new java.util.HashSet<>();
    if (stack.database().embedded()) {
      generated.add(stack.databaseRootSecretName());
      generated.add(stack.databaseBackupSecretName());
    }
    // Qdrant's generated API key is created once and never changes either.
    generated.add(stack.qdrantApiKeySecretName());
    return generated;
  }

  /**
   * True when every Secret (and key) counted in the annotation exists. While one is missing the
   * pods could not start with it: the Deployment keeps the annotation it has ({@link #keepWhileMissing}),
   * so that deleting a Secret by mistake does not roll running pods into CreateContainerConfigError
   * (the scheduler, with Recreate, would have none left). The status reports the missing Secret.
   */
  public static boolean complete(ResolvedStack stack, Map<String, TreeSet<String>> refs) {
    for (var e : refs.entrySet()) {
      if (stack.database().generatesCredentials() && e.getKey().equals(stack.generatedCredentialsSecretName())
          || uncounted(stack).contains(e.getKey())) {
        continue;
      }
      Optional<Digest> d = stack.secrets().find(e.getKey());
      if (d.isEmpty() || e.getValue().stream().anyMatch(k -> !k.equals(ALL_KEYS) && !d.get().keys().containsKey(k))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The desired Deployment with the live one's annotation when a Secret it counts is missing
   * (see {@link #complete}); unchanged otherwise, or when there is no live Deployment yet.
   */
  public static void keepWhileMissing(ResolvedStack stack, io.fabric8.kubernetes.api.model.apps.Deployment desired,
      Optional<io.fabric8.kubernetes.api.model.apps.Deployment> live) {
    keepWhileMissing(stack, desired.getSpec().getTemplate(), live.map(l -> l.getSpec() == null ? null
        : l.getSpec().getTemplate()));
  }

  /** The same for the database StatefulSet's pod template. */
  public static void keepWhileMissing(ResolvedStack stack, io.fabric8.kubernetes.api.model.apps.StatefulSet desired,
      Optional<io.fabric8.kubernetes.api.model.apps.StatefulSet> live) {
    keepWhileMissing(stack, desired.getSpec().getTemplate(), live.map(l -> l.getSpec() == null ? null
        : l.getSpec().getTemplate()));
  }

  private static void keepWhileMissing(ResolvedStack stack, io.fabric8.kubernetes.api.model.PodTemplateSpec template,
      Optional<io.fabric8.kubernetes.api.model.PodTemplateSpec> live) {
    if (complete(stack, references(template.getSpec()))) {
      return;
    }
    live.map(l -> l.getMetadata() == null || l.getMetadata().getAnnotations() == null ? null
            : l.getMetadata().getAnnotations().get(ANNOTATION))
        .ifPresent(kept -> template.getMetadata().getAnnotations().put(ANNOTATION, kept));
  }

  /** The template's {@value #ANNOTATION}, when it references a Secret whose data counts. */
  public static void annotate(ResolvedStack stack, io.fabric8.kubernetes.api.model.PodTemplateSpec template) {
    annotation(stack, references(template.getSpec())).ifPresent(h -> {
      if (template.getMetadata().getAnnotations() == null) {
        template.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
      }
      template.getMetadata().getAnnotations().put(ANNOTATION, h);
    });
  }

  /** One Secret's part: an HMAC, keyed by its uid, of the digests of the keys referenced. */
  private static String part(Digest d, TreeSet<String> keys) {
    StringBuilder msg = new StringBuilder();
    Iterable<String> which = keys.contains(ALL_KEYS) ? new TreeSet<>(d.keys().keySet()) : keys;
    if (keys.contains(ALL_KEYS)) {
      msg.append("*\n");
    }
    for (String k : which) {
      msg.append(k).append('=').append(d.keys().getOrDefault(k, "absent")).append('\n');
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(String.valueOf(d.uid()).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(msg.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static void add(Map<String, TreeSet<String>> refs, String name, String key) {
    refs.computeIfAbsent(name, n -> new TreeSet<>()).add(key == null ? ALL_KEYS : key);
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
