# Ferry worker image.
#   docker build -t ferry-worker .          (or: docker compose build ferry-worker)
#   docker run --rm -e TEMPORAL_ADDRESS=host:7233 -e TEMPORAL_NAMESPACE=default ferry-worker --fleet sim
#
# Stage 1 builds worker/target/ferry-worker.jar and worker/target/lib/ with the Maven wrapper;
# stage 2 runs it on a JRE as an unprivileged user. See deploy/README.md.

ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre

# ---------------------------------------------------------------------------------------------
FROM ${JDK_IMAGE} AS build
WORKDIR /src

# Build inputs that change rarely first: the wrapper and every pom (the parent lists all four
# modules, so all four poms must be present even though only the worker is built).
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY workflows/pom.xml workflows/
COPY activities/pom.xml activities/
COPY worker/pom.xml worker/
COPY starter/pom.xml starter/

# Dependency layer: re-run only when a pom changes. io.ferry's own modules are not in any
# repository yet, so they are excluded; whatever go-offline cannot foresee (plugin-internal
# dependencies) is fetched by the package step below.
RUN ./mvnw -B -ntp -pl worker -am dependency:go-offline -DexcludeGroupIds=io.ferry

# Sources. workflows/ packs ../plans into its jar, so plans/ is part of the build.
COPY plans/ plans/
COPY workflows/ workflows/
COPY activities/ activities/
COPY worker/ worker/

# Formatting (spotless) and tests run in `verify`, in CI; `package` is enough for the image.
RUN ./mvnw -B -ntp -DskipTests -pl worker -am package \
 && test -f worker/target/ferry-worker.jar \
 && test -d worker/target/lib

# ---------------------------------------------------------------------------------------------
FROM ${JRE_IMAGE}

ARG FERRY_UID=10001
ARG FERRY_GID=10001

# A dedicated user without a login shell. /var/backups/ferry is the default plan backupDir
# (backups of data taken before destructive steps); compose mounts a volume there.
RUN groupadd --system --gid "${FERRY_GID}" ferry \
 && useradd --system --uid "${FERRY_UID}" --gid ferry --home-dir /home/ferry --create-home \
      --shell /usr/sbin/nologin ferry \
 && install -d -o ferry -g ferry -m 0750 /var/backups/ferry \
 && install -d -m 0755 /etc/ferry

WORKDIR /opt/ferry
# The jar's manifest Class-Path points at lib/ next to it. Libraries first: they change less
# often than Ferry's own jar, so the layer is usually reused.
COPY --from=build /src/worker/target/lib/ /opt/ferry/lib/
COPY --from=build /src/worker/target/ferry-worker.jar /opt/ferry/ferry-worker.jar

USER ferry:ferry
# JVM flags for the `java` launcher: heap as a share of the container's memory limit.
ENV HOME=/home/ferry \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
VOLUME ["/var/backups/ferry"]

# The worker reads TEMPORAL_ADDRESS (host:port) and TEMPORAL_NAMESPACE; the task queue is
# `ferry`. Secrets referenced by plans as file:/run/secrets/NAME are mounted there at run time
# (never baked into the image); env:NAME references come from the container's environment.
# Prometheus metrics (FERRY_METRICS_PORT, default 9464; 0 turns them off).
EXPOSE 9464
ENTRYPOINT ["java", "-jar", "/opt/ferry/ferry-worker.jar"]
CMD ["--fleet", "sim"]
