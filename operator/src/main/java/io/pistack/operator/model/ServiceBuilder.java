package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.ServiceSpecBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The ClusterIP Services of the components and of the embedded database. A component's internal ports
 * (the dashboard's 28748, which the vendor says never to expose) are on a Service of their own,
 * {@code <stack>-<part>-private}: the component's Service, and so the Ingress, carry only its public ports.
 */
public final class ServiceBuilder {
  public static final int DB_PORT = 3306;

  private ServiceBuilder() {}

  /** The component's Service, then its internal one if it has internal ports. */
  public static List<Service> forComponent(ResolvedStack stack, Component c) {
    List<Service> services = new ArrayList<>();
    services.add(build(stack, c));
    if (!c.internalPorts().isEmpty()) {
      services.add(service(stack, stack.internalServiceName(c), c.part(), ports(stack, c, c.internalPorts())));
    }
    return services;
  }

  /** The component's Service: its public ports only. */
  public static Service build(ResolvedStack stack, Component c) {
    return service(stack, stack.name(c), c.part(), ports(stack, c, c.publicPorts()));
  }

  private static List<ServicePort> ports(ResolvedStack stack, Component c, List<ComponentDefinition.NamedPort> ports) {
    // appProtocol tells meshes and gateways that read it (Gateway API, Istio) to speak TLS to it.
    return ports.stream().map(p -> {
      ServicePort port = port(p.name(), p.number());
      if (stack.servesTls(c, p.name())) {
        port.setAppProtocol("https");
      }
      return port;
    }).toList();
  }

  public static Service database(ResolvedStack stack) {
    return service(stack, stack.databaseName(), "db", List.of(port("mysql", DB_PORT)));
  }

  private static Service service(ResolvedStack stack, String name, String part, List<ServicePort> ports) {
    Service s = new Service();
    s.setMetadata(ChildMetadata.of(stack, name, part));
    s.setSpec(new ServiceSpecBuilder()
        .withType("ClusterIP")
        .withSelector(Labels.selector(stack, part))
        .withPorts(ports)
        .build());
    return s;
  }

  private static ServicePort port(String name, int number) {
    return new ServicePortBuilder().withName(name).withPort(number)
        .withTargetPort(new IntOrString(number)).withProtocol("TCP").build();
  }
}
