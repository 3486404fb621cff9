package io.pistack.operator.api.v1alpha1;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one decision "this host is the pod itself (or no host at all)" for spec.database.external.host:
 * the CEL rule the CRD carries ({@link #RULE}) and the same decision in Java ({@link #refused}) for
 * `render` and for clusters whose CRD predates the rule (SpecValidator reports it at the same path).
 *
 * <p>Refused: the loopback names a container's /etc/hosts and RFC 6761 give ({@code localhost},
 * {@code localhost4}, {@code localhost6}, {@code ip6-localhost}, {@code ip6-loopback}, each also
 * with a domain after it, and any {@code *.localhost}); any IPv4 address in 127.0.0.0/8 or
 * 0.0.0.0/8; and every IPv4 literal not written as four decimal numbers ({@code 2130706433},
 * {@code 0x7f000001}, {@code 127.1}, {@code 0177.0.0.1}, {@code 0}): the C resolver the database
 * clients use (inet_aton) reads those as addresses, so they are refused whatever they name.
 * IPv6 literals ({@code ::1}, {@code [::1]}, {@code ::}) never reach this rule: the host's pattern
 * admits no ':' or brackets.
 */
public final class LoopbackHost {
  static final String NAMES = "^(localhost|localhost4|localhost6|ip6-localhost|ip6-loopback)([.]|$)";
  /** Every part a number (decimal, octal, hex): what inet_aton reads as an IPv4 address. */
  static final String NUMERIC = "^(0[xX][0-9a-fA-F]*|[0-9]+)([.](0[xX][0-9a-fA-F]*|[0-9]+))*$";
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  /** Four decimal octets without leading zeros: the only numeric form admitted. */
  static final String DOTTED_QUAD = "^(" + OCTET + "[.]){3}" + OCTET + "$";

  public static final String RULE = "!(self.lowerAscii().matches('" + NAMES + "') || self.lowerAscii().endsWith('.localhost')"
      + " || self.matches('" + NUMERIC + "') && !(self.matches('" + DOTTED_QUAD + "')"
      + " && !self.startsWith('127.') && !self.startsWith('0.')))";
  public static final String MESSAGE = "database.external.host cannot be the pod itself: no localhost name, no 127.x.y.z"
      + " or 0.x.y.z, and an IPv4 address as four decimal numbers (not 2130706433 or 127.1)";

  private static final Pattern NAMES_P = Pattern.compile(NAMES);
  private static final Pattern NUMERIC_P = Pattern.compile(NUMERIC);
  private static final Pattern DOTTED_QUAD_P = Pattern.compile(DOTTED_QUAD);

  private LoopbackHost() {}

  /** True when the host is refused by {@link #RULE}. Never resolves a name (only literals are parsed). */
  public static boolean refused(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (NAMES_P.matcher(h).find() || h.endsWith(".localhost")) {
      return true;
    }
    if (!NUMERIC_P.matcher(host).matches()) {
      return false;
    }
    if (!DOTTED_QUAD_P.matcher(host).matches()) {
      return true;
    }
    try {
      // A dotted-quad literal: parsed, never looked up.
      InetAddress a = InetAddress.getByName(host);
      return a.isLoopbackAddress() || a.isAnyLocalAddress() || a.getAddress()[0] == 0;
    } catch (UnknownHostException impossibleForALiteral) {
      return true;
    }
  }
}
