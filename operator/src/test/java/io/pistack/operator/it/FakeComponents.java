package io.pistack.operator.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pistack.operator.health.ProbeAddressResolver;
import io.pistack.operator.health.ProbeTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real local HTTP server standing in for every component's health endpoint: {@code
 * /<component><path>} answers as the test says (200 with a version body, 503, slow). It also
 * plays the external database's TCP port, which can be opened and closed.
 */
public final class FakeComponents implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, Behaviour> behaviour = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> failNext = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final int closedPort;
  private volatile boolean databaseUp;

  /** What a component's endpoint does. */
  public record Behaviour(int code, String body, long delayMillis) {
    public static Behaviour ok(String version) {
      return new Behaviour(200, version, 0);
    }
  }

  public FakeComponents() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        closedPort = s.getLocalPort(); // free again once closed: connecting there is refused
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-components");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  public FakeComponents set(String component, Behaviour b) {
    behaviour.put(component, b);
    return this;
  }

  /** Every component answers 200 with this version. */
  public FakeComponents allOk(String version) {
    for (String c : new String[] {"dashboard", "scheduler", "analytics", "renderer"}) {
      set(c, Behaviour.ok(version));
    }
    return this;
  }

  /** The next {@code n} requests of the component answer 503, then it behaves as set. */
  public void failNext(String component, int n) {
    failNext.computeIfAbsent(component, k -> new AtomicInteger()).set(n);
  }

  public int requests(String component) {
    AtomicInteger n = requests.get(component);
    return n == null ? 0 : n.get();
  }

  /** The most requests this server was answering at the same time. */
  public int maxConcurrent() {
    return maxInFlight.get();
  }

  public void databaseUp(boolean up) {
    databaseUp = up;
  }

  /** Resolves HTTP targets to this server, TCP targets to it (database up, excel-reader) or to a closed port. */
  public ProbeAddressResolver resolver() {
    return t -> {
      int port = server.getAddress().getPort();
      if (t.http()) {
        return URI.create("http://127.0.0.1:" + port + "/" + t.key() + t.path());
      }
      boolean open = !ProbeTarget.DATABASE.equals(t.key()) || databaseUp;
      return URI.create("tcp://127.0.0.1:" + (open ? port : closedPort));
    };
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String component = path.substring(1, path.indexOf('/', 1) < 0 ? path.length() : path.indexOf('/', 1));
    requests.computeIfAbsent(component, k -> new AtomicInteger()).incrementAndGet();
    Behaviour b = behaviour.getOrDefault(component, new Behaviour(404, "", 0));
    AtomicInteger fail = failNext.get(component);
    if (fail != null && fail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      b = new Behaviour(503, "unavailable", 0);
    }
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    boolean counted = true;
    try {
      if (b.delayMillis() > 0) {
        Thread.sleep(b.delayMillis());
      }
      byte[] body = b.body().getBytes(StandardCharsets.UTF_8);
      // Stop counting before the client can see the answer: once it has, it may start its next
      // probe while this thread is still finishing, which is not two probes at once.
      inFlight.decrementAndGet();
      counted = false;
      exchange.sendResponseHeaders(b.code(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (InterruptedException | IOException e) {
      exchange.close();
    } finally {
      if (counted) {
        inFlight.decrementAndGet();
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
