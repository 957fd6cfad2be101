# QuantServe image: the service (`serve`, the default command) and the whole command line from one jar.
#
#   docker build -t quantserve:local .
#   docker run --rm -p 8080:8080 -e SPRING_DATASOURCE_URL=... -e QUANTSERVE_SECURITY_ADMIN_KEY=... quantserve:local
#   docker run --rm -v "$PWD:/work" -w /work quantserve:local inspect --model mnist_cnn.onnx
#
# Plain Dockerfile syntax only (no BuildKit mounts or --chmod), so that the classic builder of docker-compose 1.x
# builds it too. io.quantserve.deploy.DockerfileLintTest checks the rules stated in the comments below.

# ---- build: the spring-boot repackaged jar, tests not compiled (CI runs them; see README) ----
FROM maven:3.9.11-eclipse-temurin-25 AS build
WORKDIR /src
# Dependencies in their own layer: a change under src/ reuses it.
COPY pom.xml ./
RUN mvn -B -q dependency:resolve
COPY openapi.yaml ./
COPY src/main ./src/main
# maven.test.skip: no test compilation; mdep.skip / codegen.skip: the s3proxy copy and the test client generation
# are test-only steps bound to the build.
RUN mvn -B -q -Dmaven.test.skip=true -Dmdep.skip=true -Dcodegen.skip=true package \
 && test -f target/quantserve.jar

# ---- runtime: a JRE on Ubuntu (glibc: the ONNX Runtime library inside the jar is built against glibc, so no
# alpine/musl image) ----
FROM eclipse-temurin:25.0.1_8-jre-noble AS runtime

LABEL org.opencontainers.image.title="quantserve" \
      org.opencontainers.image.description="Post-training INT8 quantization of ONNX models: REST service and CLI"

# A fixed non-root uid/gid (10001) so that Kubernetes' runAsNonRoot can check it and volume ownership is stable.
# /var/lib/quantserve is the working directory and the only folder the user owns besides /tmp.
RUN groupadd --system --gid 10001 quantserve \
 && useradd --system --uid 10001 --gid quantserve --home-dir /var/lib/quantserve --no-create-home \
      --shell /usr/sbin/nologin quantserve \
 && mkdir -p /opt/quantserve /var/lib/quantserve \
 && chown quantserve:quantserve /var/lib/quantserve \
 && chmod 0750 /var/lib/quantserve

# The jar stays owned by root: the process can read its code but not rewrite it.
COPY --from=build --chown=root:root /src/target/quantserve.jar /opt/quantserve/quantserve.jar

WORKDIR /var/lib/quantserve
USER 10001:10001

# JVM flags for a container, replaceable as a whole through JDK_JAVA_OPTIONS:
# - the heap takes 60 % of the container's memory limit: ONNX Runtime allocates its tensors and arenas outside the
#   Java heap, so the heap must leave room for them;
# - an OutOfMemoryError ends the process (the orchestrator restarts it; a worker's job is requeued after its lease)
#   instead of leaving a half-working JVM;
# - java.io.tmpdir is /tmp, writable also under a read-only root filesystem (Helm mounts an emptyDir there): ONNX
#   Runtime extracts its native library there and Tomcat keeps its work folder there. Relative paths of the
#   configuration (quantserve-data/...) resolve in the working folder /var/lib/quantserve, which the user owns.
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp" \
    SERVER_PORT=8080

EXPOSE 8080

# Liveness through bash's /dev/tcp: the JRE image needs no HTTP client for it. The health endpoints need no key; they
# answer on the management port when one is set (MANAGEMENT_SERVER_PORT), else on the server port.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MANAGEMENT_SERVER_PORT:-${SERVER_PORT:-8080}} && printf 'GET /actuator/health/liveness HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q '^HTTP/1\\.[01] 200'"]

# Exec form: java is PID 1 and receives SIGTERM, which closes the service gracefully (running jobs are handed
# back). ONNX Runtime binds its native library through JNI, which Java 25 reports unless native access is enabled.
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-jar", "/opt/quantserve/quantserve.jar"]
CMD ["serve"]
