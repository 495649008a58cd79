package io.ferry.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real servers on lab hosts: each host's sshd (own host key, own hostname, own {@code /opt} and
 * {@code /usr/local}), PostgreSQL 15 run as user postgres, Redis, nginx. Every one runs in the
 * foreground as a child the lab stops by its PID.
 */
final class Services {

  static final String PG_BIN = "/usr/lib/postgresql/15/bin";

  private final Lab lab;
  private final Path keys;

  Services(Lab lab) {
    this.lab = lab;
    this.keys = lab.dir.resolve("keys");
    try {
      Files.createDirectories(keys);
      Cmd.ok("chmod", "700", keys.toString());
      Files.writeString(knownHosts(), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Cmd.ok(
        "ssh-keygen",
        "-q",
        "-t",
        "ed25519",
        "-N",
        "",
        "-C",
        "ferry-lab-worker",
        "-f",
        clientKey().toString());
  }

  /** The worker's SSH key (a secret: plans name it as a file: reference). */
  Path clientKey() {
    return keys.resolve("worker_ed25519");
  }

  /** Every host's address with its host key, as the worker's known_hosts. */
  Path knownHosts() {
    return keys.resolve("known_hosts");
  }

  Path keys() {
    return keys;
  }

  /** A secret the lab made (random), kept in a file the plan names; returns its path. */
  Path secret(String name) {
    Path file = keys.resolve(name);
    try {
      byte[] random = new byte[18];
      new java.security.SecureRandom().nextBytes(random);
      String value = "lab-" + name + "-" + java.util.HexFormat.of().formatHex(random);
      Files.writeString(file, value);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * sshd on {@code host:22} with {@code hostKey} (made when null), in its own UTS namespace
   * (hostname = the host's name) and mount namespace ({@code /opt} and {@code /usr/local} bound to
   * the host's directory, so hosts do not share what a roadmap writes there).
   */
  Path sshd(LabHost host, Path hostKey) {
    return sshd(host, hostKey, java.util.Map.of(), "");
  }

  /**
   * As {@link #sshd(LabHost, Path)}, with more of the machine's directories bound to the host's own
   * ({@code /etc/systemd/system} to a directory of the host, say): target (which must exist) to
   * source.
   */
  Path sshd(LabHost host, Path hostKey, java.util.Map<String, Path> mounts) {
    return sshd(host, hostKey, mounts, "");
  }

  /** As above; {@code overlays}: more shell for sshd's mount namespace (" && mount ..."). */
  Path sshd(LabHost host, Path hostKey, String overlays) {
    return sshd(host, hostKey, java.util.Map.of(), overlays);
  }

  private Path sshd(
      LabHost host, Path hostKey, java.util.Map<String, Path> mounts, String overlays) {
    Path ssh = host.dir().resolve("ssh");
    try {
      Files.createDirectories(ssh);
      Cmd.ok("chmod", "700", ssh.toString());
      Path key = hostKey != null ? hostKey : ssh.resolve("host_ed25519");
      if (hostKey == null) {
        Cmd.ok(
            "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", host.name(), "-f", key.toString());
      }
      String pub = Cmd.ok("ssh-keygen", "-y", "-f", key.toString()).strip();
      Files.writeString(
          ssh.resolve("authorized_keys"), Files.readString(Path.of(clientKey() + ".pub")));
      Files.writeString(
          ssh.resolve("sshd_config"),
          String.join(
              "\n",
              "ListenAddress " + host.address() + ":22",
              "HostKey " + key,
              "PidFile none",
              "AuthorizedKeysFile " + ssh.resolve("authorized_keys"),
              "PermitRootLogin prohibit-password",
              "PasswordAuthentication no",
              "KbdInteractiveAuthentication no",
              "UsePAM no",
              "StrictModes no",
              "UseDNS no",
              "Subsystem sftp internal-sftp",
              ""));
      Files.writeString(
          knownHosts(),
          host.address() + " " + pub.split(" ")[0] + " " + pub.split(" ")[1] + "\n",
          java.nio.file.StandardOpenOption.APPEND);
      Files.createDirectories(Path.of("/run/sshd"));
      List<String> command =
          new java.util.ArrayList<>(
              Cmd.in(
                  host.namespace(),
                  "unshare",
                  "--uts",
                  "--mount",
                  "--propagation",
                  "private",
                  "sh",
                  "-c",
                  "hostname \"$0\" && mount --bind \"$1\" /opt && mount --bind \"$2\" /usr/local"
                      + overlays
                      // a host with a crontabs directory has its own crontab spool
                      + " && { [ ! -d \"$4\" ] || mount --bind \"$4\" /var/spool/cron/crontabs; }"
                      + " && exec_sshd=\"$3\" && shift 5"
                      + " && while [ $# -gt 1 ]; do mount --bind \"$1\" \"$2\" || exit 1; shift 2;"
                      + " done && exec /usr/sbin/sshd -D -e -f \"$exec_sshd\"",
                  host.name(),
                  host.opt().toString(),
                  host.dir().resolve("usr-local").toString(),
                  ssh.resolve("sshd_config").toString(),
                  host.crontabs().toString(),
                  "--"));
      mounts.forEach(
          (target, source) -> {
            command.add(source.toString());
            command.add(target);
          });
      lab.start("sshd on " + host.name(), command, ssh.resolve("sshd.log"));
      awaitPort(host.address(), 22);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * PostgreSQL 15 listening on the host's address, run as user postgres, with password
   * authentication from the lab's range; {@code postgres}'s password is {@code superPassword}.
   * Returns the directory of its Unix socket (for the lab's own psql as postgres).
   */
  Path postgres(LabHost host, Path superPassword) {
    return postgres(host, superPassword, false);
  }

  /** As {@link #postgres(LabHost, Path)}, with TLS on (a self-signed certificate) when asked. */
  Path postgres(LabHost host, Path superPassword, boolean tls) {
    Path pg = host.dir().resolve("pg");
    Path data = pg.resolve("data");
    Path socket = pg.resolve("run");
    try {
      Files.createDirectories(socket);
      if (tls) {
        Path[] pair = Tls.selfSigned(pg, "server", List.of(), List.of(host.address()));
        Cmd.ok("chmod", "600", pair[1].toString());
      }
      Cmd.ok("chown", "-R", "postgres:postgres", pg.toString());
      asPostgres(
          PG_BIN + "/initdb",
          "-D",
          data.toString(),
          "-U",
          "postgres",
          "--auth-local=trust",
          "--auth-host=scram-sha-256",
          "-E",
          "UTF8");
      Files.writeString(
          data.resolve("postgresql.conf"),
          String.join(
              "\n",
              "listen_addresses = '" + host.address() + "'",
              "unix_socket_directories = '" + socket + "'",
              "wal_level = replica",
              "max_wal_senders = 10",
              "max_replication_slots = 10",
              "fsync = off",
              tls ? "ssl = on" : "",
              tls ? "ssl_cert_file = '" + pg.resolve("server.crt") + "'" : "",
              tls ? "ssl_key_file = '" + pg.resolve("server.key") + "'" : "",
              ""),
          java.nio.file.StandardOpenOption.APPEND);
      Files.writeString(
          data.resolve("pg_hba.conf"),
          "host all all "
              + Lab.SUBNET
              + "0/24 scram-sha-256\n"
              + "host replication all "
              + Lab.SUBNET
              + "0/24 scram-sha-256\n",
          java.nio.file.StandardOpenOption.APPEND);
      lab.start(
          "PostgreSQL on " + host.name(),
          Cmd.in(
              host.namespace(),
              "setpriv",
              "--reuid=postgres",
              "--regid=postgres",
              "--init-groups",
              PG_BIN + "/postgres",
              "-D",
              data.toString()),
          pg.resolve("postgres.log"));
      awaitPort(host.address(), 5432);
      awaitAccepting(socket);
      psql(socket, "ALTER ROLE postgres PASSWORD '" + read(superPassword) + "'");
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until PostgreSQL accepts connections: its port opens while it is still starting up, and a
   * connection then is refused ("the database system is starting up").
   */
  private static void awaitAccepting(Path socket) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      Cmd.Result ready =
          Cmd.run(postgresCommand(PG_BIN + "/pg_isready", "-h", socket.toString(), "-p", "5432"));
      if (ready.ok()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "PostgreSQL at "
                + socket
                + " does not accept connections after 30 s: "
                + ready.output().strip());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Runs SQL as postgres over the Unix socket (the lab's own view, not the worker's). */
  static String psql(Path socket, String sql) {
    return asPostgres(
        PG_BIN + "/psql",
        "-h",
        socket.toString(),
        "-X",
        "-q",
        "-A",
        "-t",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        sql);
  }

  /** Runs {@code command} as the postgres user, from /tmp; fails with its output. */
  static String asPostgres(String... command) {
    return Cmd.ok(postgresCommand(command).toArray(String[]::new));
  }

  /** {@code command} run as the postgres user, from a directory it may enter. */
  private static List<String> postgresCommand(String... command) {
    List<String> words =
        new java.util.ArrayList<>(
            List.of(
                "setpriv",
                "--reuid=postgres",
                "--regid=postgres",
                "--init-groups",
                "env",
                "-C",
                "/tmp"));
    words.addAll(List.of(command));
    return words;
  }

  /** Redis on the host's address, with a password from {@code password}; no persistence. */
  void redis(LabHost host, Path password) {
    redis(host, password, false);
  }

  /**
   * As {@link #redis(LabHost, Path)}; with {@code tls}, only TLS on port 6380 (a self-signed
   * certificate for the address, {@code redis/server.crt}: the worker's --redis-ca-file).
   */
  Path redis(LabHost host, Path password, boolean tls) {
    Path dir = host.dir().resolve("redis");
    try {
      Files.createDirectories(dir);
      Path[] pair = tls ? Tls.selfSigned(dir, "server", List.of(), List.of(host.address())) : null;
      Path conf = dir.resolve("redis.conf");
      Files.writeString(
          conf,
          String.join(
              "\n",
              "bind " + host.address(),
              tls ? "port 0" : "port 6379",
              tls ? "tls-port 6380" : "",
              tls ? "tls-cert-file " + pair[0] : "",
              tls ? "tls-key-file " + pair[1] : "",
              tls ? "tls-auth-clients no" : "",
              "dir " + dir,
              "save \"\"",
              "appendonly no",
              "requirepass " + read(password),
              ""));
      Cmd.ok("chmod", "600", conf.toString());
      lab.start(
          "Redis on " + host.name(),
          Cmd.in(host.namespace(), "/usr/bin/redis-server", conf.toString()),
          dir.resolve("redis.log"));
      awaitPort(host.address(), tls ? 6380 : 6379);
      return tls ? pair[0] : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** nginx with {@code http} as its http block, in the foreground. */
  void nginx(LabHost host, String http) {
    Path dir = host.dir().resolve("nginx");
    try {
      Files.createDirectories(dir);
      Path conf = dir.resolve("nginx.conf");
      Files.writeString(
          conf,
          "daemon off; worker_processes 1; pid "
              + dir.resolve("nginx.pid")
              + ";\n"
              + "error_log "
              + dir.resolve("error.log")
              + ";\n"
              + "events { worker_connections 64; }\n"
              + "http { access_log "
              + dir.resolve("access.log")
              + ";\n"
              + "  client_body_temp_path "
              + dir
              + "/b; proxy_temp_path "
              + dir
              + "/p;\n"
              + "  fastcgi_temp_path "
              + dir
              + "/f; uwsgi_temp_path "
              + dir
              + "/u;"
              + " scgi_temp_path "
              + dir
              + "/s;\n"
              + http
              + "\n}\n");
      lab.start(
          "nginx on " + host.name(),
          Cmd.in(
              host.namespace(),
              "/usr/sbin/nginx",
              "-c",
              conf.toString(),
              "-e",
              dir.resolve("error.log").toString()),
          dir.resolve("nginx.out"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits (up to 20 s) until something accepts connections on {@code address:port}. */
  static void awaitPort(String address, int port) {
    awaitPort(address, port, 20);
  }

  static void awaitPort(String address, int port, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(address, port), 500);
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "nothing listens on " + address + ":" + port + " after " + seconds + " s", notYet);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
