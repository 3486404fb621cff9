package io.pistack.operator.scenario;

/**
 * One state-changing request of the operator, as "METHOD /path" parsed: its verb (create, update,
 * patch, delete), the resource (plural, e.g. deployments), the object's name and the subresource
 * (e.g. status), each "" when absent.
 */
public record Write(String method, String path) {
  /** Parses "METHOD /path[?query]". */
  public static Write of(String methodAndPath) {
    int space = methodAndPath.indexOf(' ');
    String path = methodAndPath.substring(space + 1);
    int q = path.indexOf('?');
    return new Write(methodAndPath.substring(0, space), q < 0 ? path : path.substring(0, q));
  }

  public String verb() {
    return switch (method) {
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** The resource, its name and subresource: the segments after /api/v1 or /apis/group/version and the namespace. */
  private String segment(int i) {
    String[] parts = path.replaceFirst("^/", "").split("/");
    int start = parts.length > 0 && parts[0].equals("api") ? 2 : 3;
    if (parts.length > start + 2 && parts[start].equals("namespaces")) {
      start += 2;
    }
    return parts.length > start + i ? parts[start + i] : "";
  }

  public String resource() {
    return segment(0);
  }

  public String name() {
    return segment(1);
  }

  public String subresource() {
    return segment(2);
  }

  /** Of this verb and resource, e.g. {@code is("patch", "deployments")}. */
  public boolean is(String verb, String resource) {
    return verb().equals(verb) && resource().equals(resource);
  }

  /** The stack's status or an Event: what the operator may write after a change that leaves nothing to fix. */
  public boolean isStatusOrEventOf(String stack) {
    return resource().equals("events")
        || resource().equals("pistacks") && name().equals(stack) && subresource().equals("status");
  }

  @Override
  public String toString() {
    return method + " " + path;
  }
}
