package io.pistack.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SecretBuilder;

/**
 * Root's password of the embedded database ({@code <stack>-db-root}), generated once like the other database
 * Secrets ({@link GeneratedSecretDependent}). Only the MariaDB pod references it. A stack created before this Secret
 * existed ran with root's password in its generated credentials: that password is kept
 * ({@link DatabaseUserMigration}), since the datadir's root has it. It shares the credentials' Secret informer.
 */
public class DatabaseRootDependent extends GeneratedSecretDependent {

  @Override
  String secretName(ResolvedStack stack) {
    return stack.databaseRootSecretName();
  }

  @Override
  String value(ResolvedStack stack, Context<PiStack> context) {
    return DatabaseUserMigration.legacyRootPassword(stack, context).orElseGet(SecretBuilder::randomPassword);
  }
}
