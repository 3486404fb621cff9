package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.RestoreSourceSpec;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import io.pistack.operator.api.v1alpha1.S3CredentialsSpec;
import io.pistack.operator.api.v1alpha1.StackName;
import io.pistack.operator.model.SpecValidator.Problem;
import io.pistack.operator.model.SpecValidator.Stage;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The form of spec.restore's object fields and of spec.backup.cloneAllowedNamespaces. The CRD leaves them short (its
 * size budget: spec.restore.source is schemaless, piBackup and before have no pattern), so the operator checks them
 * before anything is applied (InvalidSpec, with the field path). Which objects they name, and whether they may be
 * read, is RestoreResolver's (RestoreSourceRefused).
 */
final class RestoreSpecValidator {
  static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
  static final Pattern DNS_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");
  static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");
  static final Pattern PREFIX = Pattern.compile("^([A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*$");
  static final Pattern REGION = Pattern.compile("^[a-z0-9-]{1,32}$");
  static final Pattern ENDPOINT = Pattern.compile("^https?://[^\\s]+$");
  static final Pattern KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");

  private RestoreSpecValidator() {}

  static void validate(List<Problem> p, PiStackSpec s) {
    if (s.backup != null && s.backup.cloneAllowedNamespaces != null) {
      for (int i = 0; i < s.backup.cloneAllowedNamespaces.size(); i++) {
        name(p, "spec.backup.cloneAllowedNamespaces[" + i + "]", s.backup.cloneAllowedNamespaces.get(i), DNS_LABEL);
      }
    }
    RestoreSpec r = s.restore;
    if (r == null) {
      return;
    }
    int asked = (r.backup != null ? 1 : 0) + (r.piBackup != null ? 1 : 0) + (r.before != null ? 1 : 0);
    if (asked != 1) {
      p.add(new Problem("spec.restore", "exactly one of backup, piBackup, before"));
    }
    if (r.backup != null && r.backup.isBlank()) {
      p.add(new Problem("spec.restore.backup", "required: a backup name or 'latest'"));
    }
    if (r.piBackup != null) {
      name(p, "spec.restore.piBackup", r.piBackup, DNS_NAME);
    }
    if (r.before != null) {
      try {
        OffsetDateTime.parse(r.before);
      } catch (DateTimeParseException e) {
        p.add(new Problem("spec.restore.before", "'" + r.before + "' is not an RFC 3339 time, e.g."
            + " 2026-12-07T09:00:00Z or 2026-12-07T10:00:00+01:00", Stage.OPERATOR));
      }
    }
    source(p, r);
    if (r.afterRestoreSql != null) {
      name(p, "spec.restore.afterRestoreSql.configMap", r.afterRestoreSql.configMap, DNS_NAME);
      name(p, "spec.restore.afterRestoreSql.key", r.afterRestoreSql.key, KEY);
    }
  }

  private static void source(List<Problem> p, RestoreSpec r) {
    RestoreSourceSpec src = r.source;
    if (src == null) {
      return;
    }
    String at = "spec.restore.source";
    if ((src.stack == null) == (src.s3 == null)) {
      p.add(new Problem(at, "exactly one of stack and s3", Stage.OPERATOR));
    }
    if (src.namespace != null) {
      name(p, at + ".namespace", src.namespace, DNS_LABEL);
    }
    if (src.stack != null) {
      name(p, at + ".stack", src.stack, Pattern.compile(StackName.FORM));
    }
    if (src.s3 != null) {
      if (src.namespace != null) {
        p.add(new Problem(at + ".namespace", "names a PiStack's namespace: not with s3", Stage.OPERATOR));
      }
      if (r.backup == null) {
        p.add(new Problem(at + ".s3", "piBackup and before choose among PiBackup objects: with an S3 location name"
            + " the backup (spec.restore.backup: <name> or latest)", Stage.OPERATOR));
      }
      name(p, at + ".s3.bucket", src.s3.bucket, BUCKET);
      optional(p, at + ".s3.prefix", src.s3.prefix, PREFIX);
      optional(p, at + ".s3.region", src.s3.region, REGION);
      optional(p, at + ".s3.endpoint", src.s3.endpoint, ENDPOINT);
    }
    S3CredentialsSpec c = src.credentials;
    if (c != null) {
      name(p, at + ".credentials.secretName", c.secretName, DNS_NAME);
      optional(p, at + ".credentials.accessKeyIdKey", c.accessKeyIdKey, KEY);
      optional(p, at + ".credentials.secretAccessKeyKey", c.secretAccessKeyKey, KEY);
    }
    optional(p, at + ".serviceAccountName", src.serviceAccountName, DNS_NAME);
  }

  /** Required, and of that form. */
  private static void name(List<Problem> p, String path, String value, Pattern form) {
    if (value == null || value.isBlank()) {
      p.add(new Problem(path, "required", Stage.OPERATOR));
    } else if (!form.matcher(value).matches()) {
      p.add(new Problem(path, "'" + value + "' must match " + form.pattern(), Stage.OPERATOR));
    }
  }

  private static void optional(List<Problem> p, String path, String value, Pattern form) {
    if (value != null) {
      name(p, path, value, form);
    }
  }
}
