package io.pistack.operator.api.v1alpha1;

import java.util.List;

/**
 * How long and in which form a PiStack's name may be, derived from the children the operator
 * names after it. This is the one place the limit is computed: {@link #longestAllowed()} takes the
 * tightest Kubernetes limit over {@link #CHILDREN}; {@link #MAX_LENGTH} is the same number as a
 * compile-time constant for the CRD's rule (StackNameTest keeps them equal and renders every child
 * kind at that length).
 */
public final class StackName {
  /** = {@link #longestAllowed()}: the CronJob {@code <name>-backup} may have at most 52 characters. */
  public static final int MAX_LENGTH = 45;
  /** A DNS-1035 label: Service names allow no dots and must start with a letter. */
  public static final String FORM = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
  public static final String LENGTH_MESSAGE = "metadata.name must be at most " + MAX_LENGTH
      + " characters: the operator names a CronJob <name>-backup, and Kubernetes allows CronJob names"
      + " of at most 52 characters";
  public static final String FORM_MESSAGE = "metadata.name must start with a lower-case letter and contain"
      + " only lower-case letters, digits and '-', ending with a letter or digit: it names the stack's"
      + " Services, which allow no dots";

  /**
   * A name the operator derives from the stack's name, and the Kubernetes limit it must respect.
   *
   * @param kind the child's kind
   * @param template the name, {@code N} standing for the stack's name
   * @param limit the most characters Kubernetes accepts (or keeps working with) for it
   * @param why where that limit comes from
   */
  public record Child(String kind, String template, int limit, String why) {
    /** The longest stack name this child allows. */
    public int allows() {
      return limit - (template.length() - 1);
    }
  }

  /** Every name derived from the stack's name; the longest suffix per kind and limit is enough. */
  public static final List<Child> CHILDREN = List.of(
      new Child("Service", "N-excel-reader", 63, "a Service name is a DNS-1035 label"),
      new Child("Service", "N-dashboard-private", 63, "the dashboard's internal Service; a DNS-1035 label"),
      new Child("NetworkPolicy", "N-excel-reader", 253, "a DNS-1123 subdomain"),
      new Child("Deployment", "N-excel-reader", 253, "a DNS-1123 subdomain"),
      new Child("StatefulSet", "N-db", 52,
          "its pods carry controller-revision-hash=<name>-<10-character hash>, a label value of at most 63"),
      new Child("Pod", "N-db-0", 63, "the database pod's name is its host name, a DNS-1123 label"),
      new Child("CronJob", "N-backup", 52, "the API server refuses longer CronJob names (its Jobs add 11)"),
      new Child("Job", "N-backup-12345678", 63, "the Jobs of the CronJob carry job-name=<Job name>"),
      new Child("ConfigMap", "N-backup-scripts", 253, "a DNS-1123 subdomain"),
      new Child("Secret", "N-db-credentials", 253, "a DNS-1123 subdomain"),
      new Child("PersistentVolumeClaim", "data-N-db-0", 253, "a DNS-1123 subdomain"),
      new Child("HorizontalPodAutoscaler", "N-dashboard", 253, "a DNS-1123 subdomain"),
      new Child("PodDisruptionBudget", "N-dashboard", 253, "a DNS-1123 subdomain"),
      new Child("Ingress", "N", 253, "a DNS-1123 subdomain"),
      new Child("label", "N", 63, "every child carries app.kubernetes.io/instance=<name>"));

  private StackName() {}

  /** The longest name every child allows. */
  public static int longestAllowed() {
    return CHILDREN.stream().mapToInt(Child::allows).min().orElseThrow();
  }

  /** The problem with a name, or null when it is fine. */
  public static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "metadata.name is required";
    }
    if (name.length() > MAX_LENGTH) {
      return LENGTH_MESSAGE + " (it has " + name.length() + ")";
    }
    if (!name.matches(FORM)) {
      return FORM_MESSAGE;
    }
    return null;
  }
}
