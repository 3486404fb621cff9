package io.pistack.operator.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares, on the class that makes them, the Kubernetes API calls the operator makes itself,
 * outside JOSDK's dependents and informers (which are read from the JOSDK configuration). The
 * operator's RBAC is derived from these declarations plus that configuration
 * ({@code runtime.RequiredPermissions}); the Helm chart must grant exactly that set, which a test
 * checks. A class that touches the client without calling the API itself says so with
 * {@link PassesClient}; a test fails for any main class that uses the client with neither.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(ApiAccess.All.class)
public @interface ApiAccess {
  /** API group; "" is the core group. */
  String group() default "";

  /** Resource plural, with "/subresource" where one is used. */
  String resource();

  String[] verbs();

  /** Why the operator needs it (shows in the chart test's failure message and docs). */
  String why();

  /** Where the permission is needed. */
  Scope scope() default Scope.WATCHED_NAMESPACES;

  enum Scope {
    /** In every namespace the operator watches (cluster-wide when it watches all). */
    WATCHED_NAMESPACES,
    /** Only with leader election on, and only in the Lease's namespace. */
    LEASE_NAMESPACE,
    /** Only with a namespace label selector (PI_OPERATOR_NAMESPACE_SELECTOR), cluster-wide. */
    NAMESPACE_SELECTOR
  }

  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface All {
    ApiAccess[] value();
  }

  /** The class holds or hands on a client but calls no API itself. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface PassesClient {
    String value();
  }
}
