package io.pistack.operator.model;

/**
 * What the maintenance page serves: the nginx configuration (every request on the dashboard's port answered with
 * HTTP 503, a Retry-After header and the page; nothing written outside /tmp, so the root file system stays
 * read-only) and the page itself, which says why and when to try again. Pure text.
 */
public final class MaintenancePageContent {
  private MaintenancePageContent() {}

  /** nginx.conf for {@code nginx -c}: listens on {@code port}, answers 503 with Retry-After everywhere. */
  public static String nginxConf(int port, int retryAfterSeconds) {
    return """
        worker_processes 1;
        pid /tmp/nginx.pid;
        error_log stderr warn;
        events {
          worker_connections 256;
        }
        http {
          access_log off;
          server_tokens off;
          client_body_temp_path /tmp/client_body;
          proxy_temp_path /tmp/proxy;
          fastcgi_temp_path /tmp/fastcgi;
          uwsgi_temp_path /tmp/uwsgi;
          scgi_temp_path /tmp/scgi;
          default_type text/html;
          charset utf-8;
          server {
            listen %d;
            root %s/html;
            add_header Retry-After %d always;
            add_header Cache-Control "no-store" always;
            error_page 503 /index.html;
            # The page's own path, asked for directly, is internal (404): answer it as every other path.
            error_page 404 =503 /index.html;
            location = /index.html {
              internal;
            }
            location / {
              return 503;
            }
          }
        }
        """.formatted(port, MaintenancePageBuilder.CONFIG_DIR, retryAfterSeconds);
  }

  /** The page: why the dashboard is down and when to try again; it reloads itself after Retry-After. */
  public static String page(MaintenancePageDecision.Why why, int retryAfterSeconds) {
    String sentence = why == null ? "the dashboard is down for maintenance" : why.words();
    return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="refresh" content="%d">
        <title>Down for maintenance</title>
        <style>body{font-family:sans-serif;max-width:40em;margin:4em auto;padding:0 1em;color:#222}</style>
        </head>
        <body>
        <h1>Down for maintenance</h1>
        <p>%s.</p>
        <p>Please try again in %s. This page reloads itself.</p>
        </body>
        </html>
        """.formatted(retryAfterSeconds, capitalised(sentence), inWords(retryAfterSeconds));
  }

  static String inWords(int seconds) {
    if (seconds < 90) {
      return seconds + " seconds";
    }
    int minutes = (seconds + 30) / 60;
    return "about " + minutes + " minutes";
  }

  private static String capitalised(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
