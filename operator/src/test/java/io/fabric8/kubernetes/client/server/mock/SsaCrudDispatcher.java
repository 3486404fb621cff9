package io.fabric8.kubernetes.client.server.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.crud.PutHandler;
import io.fabric8.kubernetes.client.server.mock.crud.PostHandler;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST ONLY. The fabric8 CRUD mock with a stand-in for server-side apply, so the operator runs in
 * JOSDK's default SSA mode: an apply PATCH creates the object when absent and is otherwise applied
 * as a JSON merge patch; it records a managedFields entry (operation Apply, the request's field
 * manager, the applied fields) the way JOSDK's SSA matcher reads it.
 *
 * <p>Honest limits: no field ownership or conflicts between managers, lists are replaced whole,
 * and fields a manager stops sending are NOT pruned (a real API server removes them) — except in
 * a status apply, which replaces the whole status (the operator is its only manager). The real
 * API server tier (realapi/) covers those.
 *
 * <p>It sits in this package to reach the package-private {@code process(...)}, which holds the
 * dispatcher's write lock. It also counts requests per method for the zero-write tests.
 */
public class SsaCrudDispatcher extends KubernetesCrudDispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PostHandler post = new PostHandler((KubernetesAttributesExtractor) attributeExtractor, this);
  private final PutHandler put = new PutHandler(this);
  private final Map<String, AtomicInteger> byMethod = new ConcurrentHashMap<>();
  private final List<String> writes = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<String, String>> writesByAgent = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> byPath = new ConcurrentHashMap<>();
  private final List<String> lists = new CopyOnWriteArrayList<>();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String method = request.getMethod();
    byMethod.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    String path = request.getPath();
    byPath.computeIfAbsent(method + " " + (path.contains("?") ? path.substring(0, path.indexOf('?')) : path),
        k -> new AtomicInteger()).incrementAndGet();
    if ("GET".equals(method) && isCollection(path)) {
      lists.add(path);
    }
    if (!"GET".equals(method)) {
      writes.add(method + " " + request.getPath());
      writesByAgent.add(Map.entry(String.valueOf(request.getHeader("User-Agent")), method + " " + request.getPath()));
    }
    return super.dispatch(request);
  }

  /** Requests that change state (POST, PUT, PATCH, DELETE) seen so far, as "METHOD path". */
  public List<String> writes() {
    return List.copyOf(writes);
  }

  /** The writes of the clients whose User-Agent is {@code userAgent}, oldest first, as {@link #writes()}. */
  public List<String> writesBy(String userAgent) {
    return writesByAgent.stream().filter(e -> e.getKey().equals(userAgent)).map(Map.Entry::getValue).toList();
  }

  /** Every LIST or WATCH request (a GET of a collection), with its query string. */
  public List<String> listsAndWatches() {
    return List.copyOf(lists);
  }

  /** /api/v1/secrets, /apis/apps/v1/namespaces/x/deployments...: an even number of path segments after the version. */
  private static boolean isCollection(String pathWithQuery) {
    String path = pathWithQuery.contains("?") ? pathWithQuery.substring(0, pathWithQuery.indexOf('?')) : pathWithQuery;
    String[] parts = path.replaceFirst("^/", "").split("/");
    int start = parts.length > 0 && parts[0].equals("api") ? 2 : 3; // api/v1 or apis/<group>/<version>
    int rest = parts.length - start;
    return rest == 1 || (rest == 3 && parts[start].equals("namespaces"));
  }

  /** How many requests "METHOD /path" (query string ignored) were served. */
  public int count(String methodAndPath, boolean unused) {
    AtomicInteger n = byPath.get(methodAndPath);
    return n == null ? 0 : n.get();
  }

  /** Whether the object at this API path (no query string) is stored. */
  public boolean exists(String path) {
    return findResource(getKey(path)) != null;
  }

  public int count(String method) {
    AtomicInteger n = byMethod.get(method);
    return n == null ? 0 : n.get();
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    String type = request.getHeader("Content-Type");
    if (type == null || !type.startsWith("application/apply-patch")) {
      return super.handlePatch(request);
    }
    return process(request, (path, contentType, body) -> apply(path, body));
  }

  private MockResponse apply(String pathWithQuery, String body) {
    try {
      int q = pathWithQuery.indexOf('?');
      String path = q < 0 ? pathWithQuery : pathWithQuery.substring(0, q);
      String manager = param(q < 0 ? "" : pathWithQuery.substring(q + 1), "fieldManager");
      boolean status = path.endsWith("/status");
      ObjectNode applied = (ObjectNode) JSON.readTree(body);
      AttributeSet key = getKey(status ? path.substring(0, path.length() - "/status".length()) : path);
      Map.Entry<AttributeSet, String> current = findResource(key);
      if (current == null) {
        if (status) {
          return new MockResponse().setResponseCode(404);
        }
        ObjectNode meta = (ObjectNode) applied.get("metadata");
        meta.remove("resourceVersion");
        meta.set("managedFields", managedFields(null, manager, applied));
        String collection = path.substring(0, path.lastIndexOf('/'));
        return post.handle(collection, "application/json", JSON.writeValueAsString(applied));
      }
      ObjectNode existing = (ObjectNode) JSON.readTree(current.getValue());
      JsonNode wantedVersion = applied.path("metadata").get("resourceVersion");
      if (wantedVersion != null && !wantedVersion.asText().equals(existing.path("metadata").path("resourceVersion").asText())) {
        return new MockResponse().setResponseCode(409);
      }
      if (!status) {
        ((ObjectNode) applied.get("metadata")).set("managedFields", managedFields(existing, manager, applied));
      }
      ObjectNode merged = existing.deepCopy();
      if (status && applied.has("status")) {
        // The operator is the status's only field manager: what it stops sending is removed, as a
        // real API server prunes fields their sole manager no longer applies.
        merged.set("status", applied.get("status").deepCopy());
      } else {
        mergePatch(merged, applied);
      }
      return put.handle(path, "application/json", JSON.writeValueAsString(merged));
    } catch (Exception e) {
      return new MockResponse().setResponseCode(500).setBody(String.valueOf(e.getMessage()));
    }
  }

  /** RFC 7386 JSON merge patch: objects merge, null deletes, everything else (lists too) replaces. */
  private static void mergePatch(ObjectNode target, JsonNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      JsonNode value = f.getValue();
      if (value.isNull()) {
        target.remove(f.getKey());
      } else if (value.isObject() && target.get(f.getKey()) instanceof ObjectNode child) {
        mergePatch(child, value);
      } else {
        target.set(f.getKey(), value.deepCopy());
      }
    }
  }

  private static ArrayNode managedFields(JsonNode existing, String manager, ObjectNode applied) {
    ArrayNode entries = JSON.createArrayNode();
    if (existing != null && existing.path("metadata").path("managedFields").isArray()) {
      existing.path("metadata").path("managedFields").forEach(e -> {
        if (!(manager.equals(e.path("manager").asText()) && "Apply".equals(e.path("operation").asText()))) {
          entries.add(e);
        }
      });
    }
    ObjectNode entry = entries.addObject();
    entry.put("manager", manager);
    entry.put("operation", "Apply");
    entry.put("apiVersion", applied.path("apiVersion").asText());
    entry.put("fieldsType", "FieldsV1");
    ObjectNode copy = applied.deepCopy();
    copy.remove(List.of("apiVersion", "kind", "status"));
    ObjectNode meta = (ObjectNode) copy.get("metadata");
    if (meta != null) {
      meta.remove(List.of("name", "namespace", "resourceVersion", "managedFields", "uid",
          "creationTimestamp", "generation"));
    }
    entry.set("fieldsV1", fields(copy));
    return entries;
  }

  /** Objects become nested "f:" maps; every other value (lists included) is a leaf. */
  private static ObjectNode fields(JsonNode node) {
    ObjectNode out = JSON.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      out.set("f:" + f.getKey(), f.getValue().isObject() && f.getValue().size() > 0
          ? fields(f.getValue()) : JSON.createObjectNode());
    }
    return out;
  }

  private static String param(String query, String name) {
    for (String kv : query.split("&")) {
      if (kv.startsWith(name + "=")) {
        return java.net.URLDecoder.decode(kv.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return "unknown";
  }
}
