package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.ServiceSpecBuilder;
import java.util.List;

/** The ClusterIP Services of the components and of the embedded database. */
public final class ServiceBuilder {
  public static final int DB_PORT = 3306;

  private ServiceBuilder() {}

  public static Service build(ResolvedStack stack, Component c) {
    // appProtocol tells meshes and gateways that read it (Gateway API, Istio) to speak TLS to it.
    List<ServicePort> ports = c.ports().stream().map(p -> {
      ServicePort port = port(p.name(), p.number());
      if (stack.servesTls(c, p.name())) {
        port.setAppProtocol("https");
      }
      return port;
    }).toList();
    return service(stack, stack.name(c), c.part(), ports);
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
