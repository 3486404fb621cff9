package io.pistack.operator.realapi;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every state-changing request a client sends ("METHOD /path"), to count the operator's writes. */
final class WriteCounter implements Interceptor {
  private final List<String> writes = new CopyOnWriteArrayList<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (!"GET".equals(request.method())) {
      writes.add(request.method() + " " + request.uri().getPath());
    }
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
