package io.pistack.operator.realapi;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A loopback HTTPS proxy between one client and the real kube-apiserver that injects API errors at
 * the HTTP level, seeded and counted: the client sees real status lines, real {@code Status} bodies,
 * real {@code Retry-After} headers, responses that come late or never, and watch connections closed
 * under it.
 *
 * <p>It serves on 127.0.0.1 with the API server's own serving certificate (issued for 127.0.0.1 by
 * the control plane's CA, which the kubeconfig already trusts), so a client needs only its master
 * URL changed. It forwards each request on a connection of its own to the API server with the
 * admin credentials of the kubeconfig, one request per client connection ({@code Connection:
 * close}), and pipes the response back byte for byte: plain responses, chunked watch streams and
 * WebSocket upgrades alike.
 */
final class FaultProxy implements AutoCloseable {
  /**
   * What to inject: fractions of requests (of writes for the 409), and how long a watch connection
   * lives (null: for ever). {@code late} is split evenly between slow answers and no answer.
   */
  record Faults(double conflictOfWrites, double unavailable, double tooManyRequests, double late,
      Duration watchLifetime) {
    static final Faults NONE = new Faults(0, 0, 0, 0, null);
    /** Issue 13's mix: 409 on 10% of writes, 503 5%, 429 2%, slow or no answer 1%, watches cut every ~20 s. */
    static final Faults ISSUE_13 = new Faults(0.10, 0.05, 0.02, 0.01, Duration.ofSeconds(20));
  }

  enum Kind { CONFLICT_409, UNAVAILABLE_503, TOO_MANY_REQUESTS_429, SLOW, TIMEOUT, WATCH_DROPPED, SLOW_LIST }

  /** How long a "timeout" holds a request unanswered before closing it (the client gives up first: 10 s). */
  static final Duration HOLD = Duration.ofSeconds(30);

  private final Faults faults;
  private final Random random;
  private final SSLServerSocket server;
  private final SSLSocketFactory upstream;
  private final String upstreamHost;
  private final int upstreamPort;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "fault-proxy-timer");
    t.setDaemon(true);
    return t;
  });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<Kind, AtomicInteger> injected = new ConcurrentHashMap<>();
  /** Every write received, "verb /path" (ShardsOnRealApiTest: which operator wrote what). */
  private final List<String> writes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean closed;
  /** What each kind is owed (409, 503, 429, late): see {@link #decide}. */
  private final double[] owed = new double[4];
  private int lateSoFar;
  private volatile boolean armed;
  /** {@link #slowLists}: which LISTs, how late, until when (System.nanoTime). */
  private volatile java.util.function.Predicate<Request> slowListWhich = r -> false;
  private volatile Duration slowListDelay = Duration.ZERO;
  private volatile long slowListsUntil;

  FaultProxy(RealApiServer api, Faults faults, long seed) {
    this.faults = faults;
    this.random = new Random(seed);
    for (int i = 0; i < owed.length; i++) {
      owed[i] = 0.5 + 0.5 * random.nextDouble();
    }
    try {
      Config admin = Config.fromKubeconfig(api.kubeconfig());
      URI target = URI.create(admin.getMasterUrl());
      upstreamHost = target.getHost();
      upstreamPort = target.getPort();
      upstream = SSLUtils.sslContext(admin).getSocketFactory();
      server = (SSLServerSocket) serving(api.pki()).getServerSocketFactory()
          .createServerSocket(0, 200, InetAddress.getLoopbackAddress());
    } catch (Exception e) {
      throw new IllegalStateException("fault proxy: " + e, e);
    }
    pool.submit(this::accept);
  }

  /**
   * Starts injecting faults into requests (watch connections are cut from the start, each after its
   * lifetime): until then requests pass, so that a client can start.
   */
  void arm() {
    armed = true;
  }

  /**
   * For {@code window} from now, every LIST that {@code which} matches is held {@code delay} and then
   * answered 504 Timeout, as kube-apiserver answers a request that ran out of its time under load
   * (independent of {@link #arm}); after the window LISTs pass.
   */
  void slowLists(java.util.function.Predicate<Request> which, Duration delay, Duration window) {
    slowListWhich = which;
    slowListDelay = delay;
    slowListsUntil = System.nanoTime() + window.toNanos();
  }

  /** The proxy's URL, for a client's master URL. */
  String url() {
    return "https://127.0.0.1:" + server.getLocalPort();
  }

  /** Requests received, by verb (get, list, watch, create, update, patch, apply, delete, other), sorted. */
  Map<String, Integer> requests() {
    Map<String, Integer> m = new TreeMap<>();
    requests.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /** The writes received so far, "verb /path", in order. */
  List<String> writes() {
    return List.copyOf(writes);
  }

  int totalRequests() {
    return requests.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Faults injected, by kind. */
  Map<Kind, Integer> injected() {
    Map<Kind, Integer> m = new TreeMap<>();
    for (Kind k : Kind.values()) {
      if (k == Kind.SLOW_LIST && !injected.containsKey(k)) {
        continue; // only slowLists() makes them: not one of the random faults
      }
      m.put(k, injected.getOrDefault(k, new AtomicInteger()).get());
    }
    return m;
  }

  private void count(Kind k) {
    injected.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket s = server.accept();
        open.add(s);
        pool.submit(() -> serve(s));
      } catch (IOException e) {
        if (!closed) {
          System.err.println("fault proxy: accept failed: " + e);
        }
      }
    }
  }

  private void serve(Socket client) {
    try {
      InputStream in = new BufferedInputStream(client.getInputStream());
      Request r = Request.read(in);
      if (r == null) {
        return;
      }
      requests.computeIfAbsent(r.verb(), x -> new AtomicInteger()).incrementAndGet();
      if (!"GET".equals(r.method())) {
        writes.add(r.verb() + " " + r.path());
      }
      if ("list".equals(r.verb()) && System.nanoTime() - slowListsUntil < 0 && slowListWhich.test(r)) {
        count(Kind.SLOW_LIST);
        Thread.sleep(slowListDelay.toMillis());
        respond(client, 504, "Gateway Timeout", r.status(504, "Timeout",
            "Timeout: request did not complete within the allotted timeout"), null);
        return;
      }
      Kind fault = decide(r);
      if (fault != null) {
        count(fault);
      }
      if (fault == Kind.CONFLICT_409) {
        respond(client, 409, "Conflict", r.status(409, "Conflict", "Operation cannot be fulfilled on " + r.resource()
            + " \"" + r.name() + "\": the object has been modified; please apply your changes to the latest version"
            + " and try again"), null);
      } else if (fault == Kind.UNAVAILABLE_503) {
        respond(client, 503, "Service Unavailable", r.status(503, "ServiceUnavailable",
            "the server is currently unable to handle the request"), null);
      } else if (fault == Kind.TOO_MANY_REQUESTS_429) {
        respond(client, 429, "Too Many Requests", r.status(429, "TooManyRequests",
            "Too many requests, please try again later."), "1");
      } else if (fault == Kind.TIMEOUT) {
        // Never answer: the client's own timeout ends it (or HOLD, after which the connection is cut).
        client.setSoTimeout((int) HOLD.toMillis());
        try {
          while (in.read() >= 0) {
            // drain until the client gives up
          }
        } catch (SocketTimeoutException e) {
          // cut without an answer
        }
      } else {
        if (fault == Kind.SLOW) {
          Thread.sleep(1000 + random.nextInt(2000));
        }
        forward(client, in, r);
      }
    } catch (IOException e) {
      // the client or the server went away (or a watch was cut): nothing to answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close(client);
    }
  }

  /**
   * Spreads each kind evenly over the requests at its rate (writes only for the 409): each request
   * adds the rate to what the kind is owed and gets the first fault owed a whole one. The seed sets
   * where in its period each kind starts (its first fault comes within half a period: a run of a
   * few hundred requests sees every kind); late answers alternate between slow and none.
   */
  private synchronized Kind decide(Request r) {
    if (!armed) {
      return null;
    }
    Kind chosen = null;
    if (r.isWrite() && (owed[0] += faults.conflictOfWrites()) >= 1) {
      owed[0] -= 1;
      chosen = Kind.CONFLICT_409;
    }
    if ((owed[1] += faults.unavailable()) >= 1 && chosen == null) {
      owed[1] -= 1;
      chosen = Kind.UNAVAILABLE_503;
    }
    if ((owed[2] += faults.tooManyRequests()) >= 1 && chosen == null) {
      owed[2] -= 1;
      chosen = Kind.TOO_MANY_REQUESTS_429;
    }
    if ((owed[3] += faults.late()) >= 1 && chosen == null) {
      owed[3] -= 1;
      chosen = (lateSoFar++ % 2 == 0) ? Kind.SLOW : Kind.TIMEOUT;
    }
    return chosen;
  }

  private void forward(Socket client, InputStream in, Request r) throws IOException {
    Socket up = upstream.createSocket(upstreamHost, upstreamPort);
    open.add(up);
    AtomicBoolean done = new AtomicBoolean();
    ScheduledFuture<?> drop = null;
    try {
      OutputStream uo = up.getOutputStream();
      uo.write(r.forwardedHead());
      uo.write(r.body());
      uo.flush();
      if (r.isWatch() && faults.watchLifetime() != null) {
        long life = (long) (faults.watchLifetime().toMillis() * (0.75 + 0.5 * random.nextDouble()));
        drop = timer.schedule(() -> {
          if (!done.get()) {
            count(Kind.WATCH_DROPPED);
            close(client);
            close(up);
          }
        }, life, TimeUnit.MILLISECONDS);
      }
      if (r.isUpgrade()) {
        pool.submit(() -> {
          try {
            copy(in, uo);
          } catch (IOException e) {
            // either side closed
          } finally {
            close(up);
          }
        });
      }
      copy(up.getInputStream(), client.getOutputStream());
    } finally {
      done.set(true);
      if (drop != null) {
        drop.cancel(false);
      }
      close(up);
    }
  }

  private static void copy(InputStream from, OutputStream to) throws IOException {
    byte[] buf = new byte[16384];
    int n;
    while ((n = from.read(buf)) >= 0) {
      to.write(buf, 0, n);
      to.flush();
    }
  }

  private static void respond(Socket client, int code, String phrase, byte[] body, String retryAfter)
      throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(code).append(' ').append(phrase).append("\r\n")
        .append("Content-Type: application/json\r\n")
        .append("Content-Length: ").append(body.length).append("\r\n")
        .append("Connection: close\r\n");
    if (retryAfter != null) {
      head.append("Retry-After: ").append(retryAfter).append("\r\n");
    }
    head.append("\r\n");
    OutputStream out = client.getOutputStream();
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  private void close(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    List.copyOf(open).forEach(this::close);
    timer.shutdownNow();
    pool.shutdownNow();
  }

  /** The API server's serving certificate and key (EC, PKCS#8), as realapi/start.sh left them. */
  private static SSLContext serving(Path pki) throws Exception {
    Certificate cert;
    try (InputStream in = Files.newInputStream(pki.resolve("apiserver.crt"))) {
      cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    byte[] der = Base64.getMimeDecoder().decode(Files.readString(pki.resolve("apiserver.key"))
        .replaceAll("-----[A-Z ]+-----", "").trim());
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    char[] pw = "proxy".toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("apiserver", key, pw, new Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pw);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /** One HTTP/1.1 request as read from the client: request line, headers and body. */
  record Request(String method, String target, List<String[]> headers, byte[] body) {
    static Request read(InputStream in) throws IOException {
      String line = line(in);
      if (line == null || line.isEmpty()) {
        return null;
      }
      String[] parts = line.split(" ");
      List<String[]> headers = new ArrayList<>();
      String h;
      while ((h = line(in)) != null && !h.isEmpty()) {
        int colon = h.indexOf(':');
        headers.add(new String[] {h.substring(0, colon).trim(), h.substring(colon + 1).trim()});
      }
      Request bare = new Request(parts[0], parts[1], headers, new byte[0]);
      byte[] body;
      if ("chunked".equalsIgnoreCase(bare.header("Transfer-Encoding"))) {
        body = chunked(in);
      } else if (bare.header("Content-Length") != null) {
        body = in.readNBytes(Integer.parseInt(bare.header("Content-Length")));
      } else {
        body = new byte[0];
      }
      return new Request(parts[0], parts[1], headers, body);
    }

    String header(String name) {
      return headers.stream().filter(x -> x[0].equalsIgnoreCase(name)).map(x -> x[1]).findFirst().orElse(null);
    }

    String path() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }

    String query() {
      int q = target.indexOf('?');
      return q < 0 ? "" : target.substring(q + 1);
    }

    boolean isUpgrade() {
      return header("Upgrade") != null;
    }

    boolean isWatch() {
      return isUpgrade() || ("&" + query() + "&").matches(".*&watch=(true|1)&.*");
    }

    boolean isWrite() {
      return !"GET".equals(method) && !"HEAD".equals(method) && !"OPTIONS".equals(method);
    }

    /**
     * The resource path after /api/v1 or /apis/group/version, without the namespace: [resource,
     * name?, subresource?]; empty for a path that names no resource (discovery, /version).
     */
    List<String> resourcePath() {
      String[] s = path().replaceFirst("^/", "").split("/");
      int start;
      if (s.length >= 2 && "api".equals(s[0])) {
        start = 2;
      } else if (s.length >= 3 && "apis".equals(s[0])) {
        start = 3;
      } else {
        return List.of();
      }
      List<String> rest = new ArrayList<>(List.of(s).subList(start, s.length));
      if (rest.size() >= 3 && "namespaces".equals(rest.get(0))) {
        rest = rest.subList(2, rest.size());
      }
      return rest;
    }

    String resource() {
      List<String> p = resourcePath();
      String[] s = path().replaceFirst("^/", "").split("/");
      String group = s.length >= 3 && "apis".equals(s[0]) ? "." + s[1] : "";
      return p.isEmpty() ? "" : p.get(0) + group;
    }

    String name() {
      List<String> p = resourcePath();
      return p.size() >= 2 ? p.get(1) : "";
    }

    /** As the API server's audit log names it. */
    String verb() {
      List<String> p = resourcePath();
      boolean item = p.size() >= 2;
      if (p.isEmpty()) {
        return "other";
      }
      return switch (method) {
        case "GET" -> isWatch() ? "watch" : item ? "get" : "list";
        case "POST" -> "create";
        case "PUT" -> "update";
        case "PATCH" -> String.valueOf(header("Content-Type")).startsWith("application/apply-patch") ? "apply" : "patch";
        case "DELETE" -> item ? "delete" : "deletecollection";
        default -> method.toLowerCase(Locale.ROOT);
      };
    }

    /** A real Status body, as the API server sends with an error. */
    byte[] status(int code, String reason, String message) {
      String json = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
          + quote(message) + ",\"reason\":\"" + reason + "\",\"details\":{\"name\":" + quote(name())
          + ",\"kind\":" + quote(resource().replaceFirst("\\..*", "")) + (code == 429 ? ",\"retryAfterSeconds\":1" : "")
          + "},\"code\":" + code + "}";
      return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The head sent on: hop-by-hop headers replaced with {@code Connection: close} (one request per
     * connection), except on an upgrade, and a decoded chunked body sent with its length.
     */
    byte[] forwardedHead() {
      StringBuilder sb = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      for (String[] x : headers) {
        String n = x[0].toLowerCase(Locale.ROOT);
        boolean hop = n.equals("transfer-encoding") || n.equals("content-length")
            || (!isUpgrade() && (n.equals("connection") || n.equals("keep-alive")));
        if (!hop) {
          sb.append(x[0]).append(": ").append(x[1]).append("\r\n");
        }
      }
      if (!isUpgrade()) {
        sb.append("Connection: close\r\n");
      }
      if (body.length > 0 || isWrite()) {
        sb.append("Content-Length: ").append(body.length).append("\r\n");
      }
      return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String quote(String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        b.write(c);
      }
      if (c < 0 && b.size() == 0) {
        return null;
      }
      return b.toString(StandardCharsets.ISO_8859_1).replaceFirst("\r$", "");
    }

    private static byte[] chunked(InputStream in) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      while (true) {
        String size = line(in);
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          String trailer;
          while ((trailer = line(in)) != null && !trailer.isEmpty()) {
            // trailers are dropped
          }
          return b.toByteArray();
        }
        b.write(in.readNBytes(n));
        line(in);
      }
    }
  }
}
