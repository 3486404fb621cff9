package io.pistack.operator.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one probe, blocking the calling thread for at most about the timeout. Results carry short,
 * body-free messages: a component's error page never reaches status, events or logs. Only the first
 * line of a 2xx body is kept, as the component's version.
 */
public final class Prober {
  static final int MAX_BODY_BYTES = 4096;
  static final int MAX_VERSION_LENGTH = 64;

  private final Duration timeout;
  private final HttpClient http;

  public Prober(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
  }

  public ProbeResult probe(URI uri) {
    long start = System.nanoTime();
    try {
      return "tcp".equals(uri.getScheme()) ? tcp(uri, start) : http(uri, start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(start, null, "interrupted");
    }
  }

  private ProbeResult http(URI uri, long start) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
        .header("User-Agent", "pi-operator-health").build();
    // The whole exchange, body included, is bounded by the timeout (a slow body too).
    CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info -> new LimitedBody());
    try {
      HttpResponse<byte[]> response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      int code = response.statusCode();
      if (code >= 200 && code < 300) {
        return new ProbeResult(true, code, millisSince(start), version(response.body()), "");
      }
      return failed(start, code, "HTTP " + code);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      return failed(start, null, "timed out after " + seconds());
    } catch (ExecutionException e) {
      return failed(start, null, e.getCause() instanceof IOException io ? describe(io)
          : "request failed (" + e.getCause().getClass().getSimpleName() + ")");
    }
  }

  private ProbeResult tcp(URI uri, long start) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) timeout.toMillis());
      return new ProbeResult(true, null, millisSince(start), null, "");
    } catch (IOException e) {
      return failed(start, null, describe(e));
    }
  }

  private String describe(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "connect timed out after " + seconds();
    }
    if (e instanceof HttpTimeoutException || e instanceof SocketTimeoutException) {
      return "timed out after " + seconds();
    }
    if (e instanceof UnknownHostException || e.getCause() instanceof UnknownHostException) {
      return "unknown host";
    }
    if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof NoRouteToHostException) {
      return "no route to host";
    }
    return "connection failed (" + e.getClass().getSimpleName() + ")";
  }

  private String seconds() {
    long ms = timeout.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }

  /**
   * The component's version: the first line of the body, or the "version" field of a JSON body,
   * limited to printable characters and {@link #MAX_VERSION_LENGTH}.
   */
  static String version(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    java.util.regex.Matcher json = java.util.regex.Pattern
        .compile("\"version\"\\s*:\\s*\"([^\"]{1,200})\"").matcher(text);
    if (text.startsWith("{") && json.find()) {
      text = json.group(1);
    }
    int nl = text.indexOf('\n');
    String line = (nl < 0 ? text : text.substring(0, nl)).strip();
    StringBuilder clean = new StringBuilder();
    line.codePoints().filter(cp -> cp >= 0x20 && cp != 0x7f).limit(MAX_VERSION_LENGTH)
        .forEach(clean::appendCodePoint);
    return clean.length() == 0 ? null : clean.toString();
  }

  /** Keeps at most {@link #MAX_BODY_BYTES} of the body, then stops reading. */
  static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        int n = Math.min(b.remaining(), MAX_BODY_BYTES - out.size());
        byte[] chunk = new byte[n];
        b.get(chunk);
        out.write(chunk, 0, n);
      }
      if (out.size() >= MAX_BODY_BYTES && !result.isDone()) {
        subscription.cancel();
        result.complete(out.toByteArray());
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }

  private static ProbeResult failed(long start, Integer code, String message) {
    return new ProbeResult(false, code, millisSince(start), null, message);
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
