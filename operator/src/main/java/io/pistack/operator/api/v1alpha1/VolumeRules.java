package io.pistack.operator.api.v1alpha1;

/**
 * Transition rules (CEL, {@code oldSelf}: checked on every update of a PiStack) for the three
 * volumes the operator sizes: the database's, the shared one and the backups'. A claim can grow in
 * place (volume expansion, the operator patches it) but never shrink, and its storage class is
 * fixed once it exists. The rules sit on the spec, not on the sections, so that adding a section
 * with a smaller size than the default it replaces is refused too. Every string they read has a
 * maxLength, which keeps their estimated cost within the CRD's CEL budget.
 */
public final class VolumeRules {
  private VolumeRules() {}

  // Only an embedded database, before and after, has a claim to keep.
  public static final String DB_GROWS = "!((!has(oldSelf.database) || !has(oldSelf.database.external)) && (!has(self.database) || "
      + "!has(self.database.external))) || quantity(has(self.database) && has(self.database.embedded) && "
      + "has(self.database.embedded.storageSize) ? self.database.embedded.storageSize : "
      + "'10Gi').compareTo(quantity(has(oldSelf.database) && has(oldSelf.database.embedded) && "
      + "has(oldSelf.database.embedded.storageSize) ? oldSelf.database.embedded.storageSize : '10Gi')) "
      + ">= 0";
  public static final String DB_GROWS_MESSAGE = "database.embedded.storageSize can only grow: the operator grows"
      + " the claim data-<stack>-db-0 in place, but a volume cannot shrink (back up, then restore into a new"
      + " stack to use a smaller one)";

  public static final String DB_CLASS = "!((!has(oldSelf.database) || !has(oldSelf.database.external)) && (!has(self.database) || "
      + "!has(self.database.external))) || (has(self.database) && has(self.database.embedded) && "
      + "has(self.database.embedded.storageClassName) ? self.database.embedded.storageClassName : '') == "
      + "(has(oldSelf.database) && has(oldSelf.database.embedded) && "
      + "has(oldSelf.database.embedded.storageClassName) ? oldSelf.database.embedded.storageClassName : "
      + "'')";
  public static final String DB_CLASS_MESSAGE = "database.embedded.storageClassName cannot change: the claim"
      + " data-<stack>-db-0 keeps the storage class it was created with (back up, then restore into a new"
      + " stack to move it)";

  public static final String SHARED_GROWS = "quantity(has(self.storage) && has(self.storage.size) ? self.storage.size : "
      + "'5Gi').compareTo(quantity(has(oldSelf.storage) && has(oldSelf.storage.size) ? "
      + "oldSelf.storage.size : '5Gi')) >= 0";
  public static final String SHARED_GROWS_MESSAGE = "storage.size can only grow: the operator grows the shared"
      + " claim in place, but a volume cannot shrink";

  public static final String SHARED_CLASS = "(has(self.storage) && has(self.storage.storageClassName) ? self.storage.storageClassName : '') "
      + "== (has(oldSelf.storage) && has(oldSelf.storage.storageClassName) ? "
      + "oldSelf.storage.storageClassName : '')";
  public static final String SHARED_CLASS_MESSAGE = "storage.storageClassName cannot change: the shared claim"
      + " keeps the storage class it was created with";

  // With s3 or an existing claim, before or after, there is no claim of the operator's to keep.
  public static final String BACKUP_GROWS = "has(self.backup) && has(self.backup.storage) && (has(self.backup.storage.s3) || "
      + "has(self.backup.storage.existingClaim)) || has(oldSelf.backup) && has(oldSelf.backup.storage) "
      + "&& (has(oldSelf.backup.storage.s3) || has(oldSelf.backup.storage.existingClaim)) || "
      + "quantity(has(self.backup) && has(self.backup.storage) && has(self.backup.storage.size) ? "
      + "self.backup.storage.size : '10Gi').compareTo(quantity(has(oldSelf.backup) && "
      + "has(oldSelf.backup.storage) && has(oldSelf.backup.storage.size) ? oldSelf.backup.storage.size : "
      + "'10Gi')) >= 0";
  public static final String BACKUP_GROWS_MESSAGE = "backup.storage.size can only grow: the operator grows the"
      + " claim <stack>-backups in place, but a volume cannot shrink";

  public static final String BACKUP_CLASS = "has(self.backup) && has(self.backup.storage) && (has(self.backup.storage.s3) || "
      + "has(self.backup.storage.existingClaim)) || has(oldSelf.backup) && has(oldSelf.backup.storage) "
      + "&& (has(oldSelf.backup.storage.s3) || has(oldSelf.backup.storage.existingClaim)) || "
      + "(has(self.backup) && has(self.backup.storage) && has(self.backup.storage.storageClassName) ? "
      + "self.backup.storage.storageClassName : '') == (has(oldSelf.backup) && "
      + "has(oldSelf.backup.storage) && has(oldSelf.backup.storage.storageClassName) ? "
      + "oldSelf.backup.storage.storageClassName : '')";
  public static final String BACKUP_CLASS_MESSAGE = "backup.storage.storageClassName cannot change: the claim"
      + " <stack>-backups keeps the storage class it was created with";
}
