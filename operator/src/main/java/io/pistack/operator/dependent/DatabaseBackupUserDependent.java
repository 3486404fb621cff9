package io.pistack.operator.dependent;

import io.pistack.operator.model.ResolvedStack;

/**
 * The embedded database's read-only backup user ({@code <stack>-db-backup}), generated once like the other database
 * Secrets ({@link GeneratedSecretDependent}). The MariaDB pod's user step creates the user from it; the backup Jobs
 * dump with it. A stack created before this Secret existed gets it on its next reconcile (its database pod rolls
 * once and the step creates the user). It shares the credentials' Secret informer.
 */
public class DatabaseBackupUserDependent extends GeneratedSecretDependent {

  @Override
  String secretName(ResolvedStack stack) {
    return stack.databaseBackupSecretName();
  }
}
