# The pi-operator container image, for those who build with Docker or Podman. Build from the
# repository root:
#   docker build -t registry.example.com/pi-operator:0.1.0 .
# The Maven build makes an image of its own without a container engine (Jib, on a base assembled
# from Debian packages: operator/target/pi-operator-image.tar, tested by OperatorImageIT); this
# Dockerfile is the other path, on Google's distroless base (docs/install.md compares the two).
#
# Stage 1 builds the shaded jar with Maven. Stage 2 is a distroless Java 17 runtime: a JRE and
# nothing else (no shell, no package manager), running as the non-root user 65532. The process
# writes nothing outside /tmp (java.io.tmpdir), so the root filesystem can be read-only; the Helm
# chart mounts an emptyDir at /tmp.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY operator/pom.xml operator/
RUN mvn -B -q -pl operator dependency:resolve dependency:resolve-plugins
COPY operator/src operator/src
RUN mvn -B -q -pl operator -DskipTests -Djib.skip package

FROM gcr.io/distroless/java17-debian12:nonroot
LABEL org.opencontainers.image.title="pi-operator" \
      org.opencontainers.image.description="Kubernetes operator for the Panintelligence analytics stack"
COPY --from=build /src/operator/target/pi-operator.jar /app/pi-operator.jar
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/usr/bin/java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-Djava.io.tmpdir=/tmp", "-jar", "/app/pi-operator.jar", "run"]
