package io.pistack.operator.realapi;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every GET a client sends (its path and query), e.g. to see that a reconcile ran. */
final class ReadLog implements Interceptor {
  private final List<String> reads = new CopyOnWriteArrayList<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if ("GET".equals(request.method())) {
      reads.add(request.uri().getPath() + (request.uri().getQuery() == null ? "" : "?" + request.uri().getQuery()));
    }
  }

  int mark() {
    return reads.size();
  }

  /** The reads since {@code mark} whose path contains {@code part}. */
  List<String> since(int mark, String part) {
    return reads.subList(mark, reads.size()).stream().filter(r -> r.contains(part)).toList();
  }

  long count(String path) {
    return reads.stream().filter(r -> r.equals(path)).count();
  }
}
