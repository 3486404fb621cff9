package io.pistack.operator.realapi;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every state-changing request a client sends ("METHOD /path"), to count the operator's writes. */
final class WriteCounter implements Interceptor {
  private final List<String> writes = new CopyOnWriteArrayList<>();
  /** Each write with its body, in the same order: what a write changed, for a failure message. */
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  @Override
  public synchronized void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (!"GET".equals(request.method())) {
      String write = request.method() + " " + request.uri().getPath();
      bodies.add(write + "\n" + request.bodyString());
      writes.add(write);
    }
  }

  /** The writes since {@code mark}, each with the body it sent (e.g. the status a PATCH wrote). */
  List<String> withBodiesSince(int mark) {
    List<String> all = List.copyOf(bodies);
    return all.subList(Math.min(mark, all.size()), all.size());
  }

  List<String> since(int mark) {
    // A snapshot first: a CopyOnWriteArrayList's subList throws ConcurrentModificationException when a write is
    // recorded while it is copied (seen once in a CI run, SecretRotationOnRealApiTest).
    List<String> all = List.copyOf(writes);
    return all.subList(mark, all.size());
  }

  int mark() {
    return writes.size();
  }
}
