package io.pistack.operator.chart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.SsaCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.pistack.operator.it.MockCluster;
import io.pistack.operator.runtime.RequiredPermissions;
import io.pistack.operator.runtime.RequiredPermissions.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * TEST ONLY. An RBAC authoriser in front of the mock API server: every request of the operator's
 * client (told apart by its User-Agent) is mapped to (namespace, group, resource, verb) the way the
 * API server's request-info resolver does, and refused with 403 unless the given grants (a rendered
 * chart's) allow it. An apply PATCH that creates an object needs create as well as patch, as on a
 * real API server. It also answers JOSDK's SelfSubjectRulesReview from the same grants (for any
 * client, so an operator process started with another User-Agent can elect a leader too).
 * Limits: resourceNames restrictions are not modelled (grants are flattened to verbs).
 */
final class RbacEnforcingDispatcher extends SsaCrudDispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Set<String> granted = new TreeSet<>();
  private final Set<Permission> grants;
  private final List<String> denied = new CopyOnWriteArrayList<>();
  private final Set<String> used = new ConcurrentSkipListSet<>();

  RbacEnforcingDispatcher(Set<Permission> grants) {
    this.grants = grants;
    grants.forEach(p -> granted.add(p.key()));
  }

  List<String> denied() {
    return List.copyOf(denied);
  }

  /** "ns group resource verb" of every request of the operator's that was allowed. */
  Set<String> used() {
    return Set.copyOf(used);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if (request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
      return rulesReview(request.getUtf8Body());
    }
    if (!MockCluster.OPERATOR_USER_AGENT.equals(request.getHeader("User-Agent"))) {
      return super.dispatch(request);
    }
    String full = request.getPath();
    int q = full.indexOf('?');
    String path = q < 0 ? full : full.substring(0, q);
    String query = q < 0 ? "" : full.substring(q + 1);
    String[] s = path.split("/");
    int i;
    String group;
    if (s.length > 2 && s[1].equals("api")) {
      group = "";
      i = 3;
    } else if (s.length > 3 && s[1].equals("apis")) {
      group = s[2];
      i = 4;
    } else {
      return super.dispatch(request); // non-resource URL (version, discovery): open to every user
    }
    String ns = RequiredPermissions.ALL_NAMESPACES;
    if (s.length > i + 2 && s[i].equals("namespaces")) {
      ns = s[i + 1];
      i += 2;
    }
    if (s.length <= i) {
      return super.dispatch(request);
    }
    String resource = s[i];
    String name = s.length > i + 1 ? s[i + 1] : null;
    if (s.length > i + 2) {
      resource = resource + "/" + s[i + 2];
    }
    if (group.equals("authorization.k8s.io") && resource.equals("selfsubjectrulesreviews")) {
      return rulesReview(request.getUtf8Body());
    }
    List<String> verbs = new ArrayList<>();
    switch (request.getMethod()) {
      case "GET" -> verbs.add(name != null ? "get" : query.contains("watch=true") ? "watch" : "list");
      case "POST" -> verbs.add("create");
      case "PUT" -> verbs.add("update");
      case "PATCH" -> {
        verbs.add("patch");
        String type = request.getHeader("Content-Type");
        if (type != null && type.startsWith("application/apply-patch") && !resource.contains("/")
            && !exists(path)) {
          verbs.add("create");
        }
      }
      case "DELETE" -> verbs.add(name != null ? "delete" : "deletecollection");
      default -> verbs.add(request.getMethod().toLowerCase());
    }
    for (String verb : verbs) {
      Permission want = new Permission(ns, group, resource, verb, "request");
      if (!allowed(want)) {
        denied.add(want.key() + " <- " + request.getMethod() + " " + full);
        return new MockResponse().setResponseCode(403).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
            + "\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,\"message\":\"forbidden: "
            + want.key() + "\"}");
      }
      used.add(want.key());
    }
    return super.dispatch(request);
  }

  private boolean allowed(Permission p) {
    return granted.contains(p.key())
        || granted.contains(new Permission(RequiredPermissions.ALL_NAMESPACES, p.group(), p.resource(), p.verb(), "")
            .key());
  }

  /** The grants in the requested namespace, as the API server's SelfSubjectRulesReview lists them. */
  private MockResponse rulesReview(String body) {
    try {
      ObjectNode review = (ObjectNode) JSON.readTree(body);
      String ns = review.path("spec").path("namespace").asText();
      Map<String, Set<String>> verbsByResource = new TreeMap<>();
      for (Permission p : grants) {
        if (p.namespace().equals(ns) || p.namespace().equals(RequiredPermissions.ALL_NAMESPACES)) {
          verbsByResource.computeIfAbsent(p.group() + "|" + p.resource(), k -> new TreeSet<>()).add(p.verb());
        }
      }
      ArrayNode rules = JSON.createArrayNode();
      verbsByResource.forEach((k, verbs) -> {
        ObjectNode r = rules.addObject();
        r.putArray("apiGroups").add(k.substring(0, k.indexOf('|')));
        r.putArray("resources").add(k.substring(k.indexOf('|') + 1));
        ArrayNode v = r.putArray("verbs");
        verbs.forEach(v::add);
        r.putArray("resourceNames");
      });
      ObjectNode status = review.putObject("status");
      status.set("resourceRules", rules);
      status.putArray("nonResourceRules");
      status.put("incomplete", false);
      return new MockResponse().setResponseCode(201).setBody(JSON.writeValueAsString(review));
    } catch (Exception e) {
      return new MockResponse().setResponseCode(500).setBody(String.valueOf(e.getMessage()));
    }
  }

}
