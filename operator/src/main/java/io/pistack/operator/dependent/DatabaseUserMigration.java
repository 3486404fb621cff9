package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a stack created before the application user (its generated credentials say {@code root}) onto it, once,
 * before the workflow applies the children (docs/upgrade.md, docs/database-user.md):
 * <ol>
 *   <li>{@code <stack>-db-root} is created with the password the credentials held: the datadir's root has it;</li>
 *   <li>the credentials Secret is rewritten to the application user {@value SecretBuilder#USERNAME} with a new
 *       password.</li>
 * </ol>
 * The same reconcile then applies the new database pod template (its user step creates the application user and
 * drops root's TCP accounts) and the Deployments' (their annotation changed with this release), so every pod
 * restarts onto the new Secrets. Data is not touched. Idempotent: a crash between the two steps leaves a root
 * Secret and credentials still saying root, and the next reconcile does the second step only. Finds such stacks
 * in the credentials dependent's informer (the operator's own labelled Secrets, user names only), reads the
 * passwords from the live Secrets (only while a stack still says root); writes twice, once per stack.
 */
@ApiAccess(resource = "secrets", verbs = {"get", "create", "patch"},
    why = "moves the generated credentials of stacks created before the application user onto it (once)")
public final class DatabaseUserMigration {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseUserMigration.class);
  private static final String JOSDK_ANNOTATIONS = "io.javaoperatorsdk/";

  private DatabaseUserMigration() {}

  public static void migrate(ResolvedStack stack, Context<PiStack> context) {
    Optional<String> legacy = legacyRootPassword(stack, context);
    if (legacy.isEmpty()) {
      return;
    }
    Secret credentials = generated(stack, context, stack.generatedCredentialsSecretName()).orElseThrow();
    Optional<Secret> root = generated(stack, context, stack.databaseRootSecretName());
    if (root.isEmpty()) {
      Secret created = SecretBuilder.databaseRoot(stack, legacy.get());
      // Mapped to the stack like the dependent's (the same annotations), owned like the credentials.
      Map<String, String> annotations = new LinkedHashMap<>();
      if (credentials.getMetadata().getAnnotations() != null) {
        credentials.getMetadata().getAnnotations().forEach((k, v) -> {
          if (k.startsWith(JOSDK_ANNOTATIONS)) {
            annotations.put(k, v);
          }
        });
      }
      created.getMetadata().setAnnotations(annotations);
      DataOwnership.apply(created, stack.source());
      Secret made = context.getClient().secrets().inNamespace(stack.namespace()).resource(created).create();
      // The workflow's root dependent must see it now, or it would create another.
      source(context).ifPresent(s -> s.handleRecentResourceCreate(ResourceID.fromResource(stack.source()), made));
    } else if (!legacy.get().equals(live(stack, context, stack.databaseRootSecretName())
        .flatMap(r -> value(r, SecretBuilder.ROOT_PASSWORD_KEY)).orElse(null))) {
      // Not made by this migration: leave both alone rather than lose root's password.
      LOG.warn("stack {}/{}: {} exists but does not hold the password of {}; not moving to the application user",
          stack.namespace(), stack.name(), stack.databaseRootSecretName(), stack.generatedCredentialsSecretName());
      return;
    }
    String password = SecretBuilder.randomPassword();
    context.getClient().secrets().inNamespace(stack.namespace()).withName(stack.generatedCredentialsSecretName())
        .edit(s -> {
          Map<String, String> data = new LinkedHashMap<>(s.getData() == null ? Map.of() : s.getData());
          data.put("username", encode(SecretBuilder.USERNAME));
          data.put("password", encode(password));
          s.setData(data);
          s.setStringData(null);
          return s;
        });
    LOG.info("stack {}/{}: generated database credentials moved from root to the application user {}",
        stack.namespace(), stack.name(), SecretBuilder.USERNAME);
  }

  /**
   * Root's password of a stack created before the application user: what its generated credentials hold while
   * they still say root; empty otherwise.
   */
  static Optional<String> legacyRootPassword(ResolvedStack stack, Context<PiStack> context) {
    if (!stack.database().generatesCredentials()) {
      return Optional.empty();
    }
    // The cache keeps the user name only (SlimCache): the password is read once, from the live Secret.
    boolean saysRoot = generated(stack, context, stack.generatedCredentialsSecretName())
        .filter(DatabaseUserMigration::saysRoot).isPresent();
    return saysRoot ? live(stack, context, stack.generatedCredentialsSecretName())
        .filter(DatabaseUserMigration::saysRoot).flatMap(s -> value(s, "password")) : Optional.empty();
  }

  private static boolean saysRoot(Secret s) {
    return value(s, "username").filter(SecretBuilder.LEGACY_USERNAME::equals).isPresent();
  }

  private static Optional<Secret> live(ResolvedStack stack, Context<PiStack> context, String name) {
    return Optional.ofNullable(context.getClient().secrets().inNamespace(stack.namespace()).withName(name).get());
  }

  private static Optional<Secret> generated(ResolvedStack stack, Context<PiStack> context, String name) {
    return source(context).flatMap(s -> s.get(new ResourceID(name, stack.namespace())));
  }

  @SuppressWarnings("unchecked")
  private static Optional<InformerEventSource<Secret, PiStack>> source(Context<PiStack> context) {
    try {
      return Optional.of((InformerEventSource<Secret, PiStack>) context.eventSourceRetriever()
          .getEventSourceFor(Secret.class, "credentials"));
    } catch (RuntimeException noSuchSource) {
      return Optional.empty();
    }
  }

  private static Optional<String> value(Secret s, String key) {
    if (s.getData() != null && s.getData().get(key) != null) {
      return Optional.of(new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8));
    }
    return s.getStringData() == null ? Optional.empty() : Optional.ofNullable(s.getStringData().get(key));
  }

  private static String encode(String v) {
    return Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
  }
}
