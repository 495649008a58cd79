package io.ferry.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * do-transition's stand-ins for what cannot run in the lab, in a host's {@code /usr/local}: docker
 * ({@code ps}, {@code inspect}, {@code run -d}, {@code rm -f}; containers kept under {@code
 * /usr/local/var/docker/containers}) and systemctl ({@code daemon-reload}, {@code enable --now},
 * {@code is-active}, {@code cat}, {@code disable --now}; units read from {@code
 * /etc/systemd/system}, which the lab binds to a directory of the host). Starting a unit checks its
 * ExecStart program, WorkingDirectory and EnvironmentFile as systemd would, then runs a small
 * responder on the unit's port: /health, the session query and node exporter's /metrics (the
 * machine's real /proc numbers) answer as the real programs would.
 */
final class TransitionTools {

  private TransitionTools() {}

  /** While this file exists on a host, the API unit dies at start (the lab's injected failure). */
  static final String FAIL_API = "usr-local/lib/lab-fail-api";

  private static final String DOCKER =
      """
      #!/bin/sh
      # lab stand-in for docker (do-transition): checked arguments, containers in /usr/local/var
      echo "docker $*" >> /usr/local/var/tool-calls.log
      state=/usr/local/var/docker/containers
      mkdir -p "$state"
      no_such() { echo "Error: No such object: $1" >&2; exit 1; }
      case "$1" in
        ps)
          [ "$*" = "ps --format {{.Names}}" ] || { echo "lab docker: unexpected: $*" >&2; exit 64; }
          for c in "$state"/*; do [ -f "$c" ] && basename "$c"; done; exit 0 ;;
        inspect)
          shift; format=
          [ "$1" = --format ] && { format=$2; shift 2; }
          [ "$1" = -- ] && shift
          [ $# -eq 1 ] || { echo "lab docker: inspect takes one name: $*" >&2; exit 64; }
          [ -f "$state/$1" ] || no_such "$1"
          case "$format" in
            "") echo '[{}]' ;;
            "{{.Id}} {{.Config.Image}} {{.State.Running}}") cat "$state/$1" ;;
            *) echo "lab docker: unexpected format $format" >&2; exit 64 ;;
          esac
          exit 0 ;;
        run)
          shift; name=; image=
          [ "$1" = -d ] || { echo "lab docker: run without -d" >&2; exit 64; }; shift
          while [ $# -gt 1 ]; do
            case "$1" in
              --name) name=$2; shift 2 ;;
              --network) [ "$2" = host ] || { echo "lab docker: network $2" >&2; exit 64; }; shift 2 ;;
              --restart) [ "$2" = unless-stopped ] || { echo "lab docker: restart $2" >&2; exit 64; }; shift 2 ;;
              -v) src=${2%%:*}; dst=${2#*:}
                  case "$src" in /*) ;; *) echo "lab docker: volume $2 is not a host path" >&2; exit 125 ;; esac
                  case "$dst" in /*) ;; *) echo "lab docker: volume $2 has no container path" >&2; exit 125 ;; esac
                  # real docker would make a missing source (root-owned, left behind): the lab refuses
                  [ -d "$src" ] || { echo "lab docker: bind source $src does not exist" >&2; exit 125; }
                  shift 2 ;;
              -e) case "$2" in [A-Za-z_]*=*) ;; *) echo "lab docker: bad -e $2" >&2; exit 125 ;; esac; shift 2 ;;
              *) echo "lab docker: unexpected run option $1" >&2; exit 64 ;;
            esac
          done
          [ $# -eq 1 ] && image=$1
          [ -n "$name" ] && [ -n "$image" ] || { echo "lab docker: run needs --name and an image" >&2; exit 64; }
          [ -f "$state/$name" ] && { echo "docker: Error response from daemon: Conflict. The container name \\"/$name\\" is already in use." >&2; exit 125; }
          id=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \\n')
          echo "$id $image true" > "$state/$name"
          echo "$id"; exit 0 ;;
        rm)
          [ "$2" = -f ] && [ "$3" = -- ] && [ $# -eq 4 ] || { echo "lab docker: unexpected: $*" >&2; exit 64; }
          [ -f "$state/$4" ] || no_such "$4"
          rm -f "$state/$4"; echo "$4"; exit 0 ;;
        *) echo "lab docker: unexpected command: $*" >&2; exit 64 ;;
      esac
      """;

  private static final String SYSTEMCTL =
      """
      #!/bin/sh
      # lab stand-in for systemctl (do-transition): units from /etc/systemd/system, enabled ones
      # in /usr/local/var/units, a running unit is a responder on its port
      echo "systemctl $*" >> /usr/local/var/tool-calls.log
      dir=/etc/systemd/system
      units=/usr/local/var/units
      run=/usr/local/lib/lab-systemd
      mkdir -p "$units" "$run/loaded"
      unit_of() { case "$1" in *.service) echo "$1" ;; *) echo "$1.service" ;; esac; }
      key() { basename "$1" .service; }
      # a dead unit may linger as a zombie where nothing reaps orphans: that is not running
      alive() {
        [ -f "$run/$1.pid" ] || return 1
        s=$(cut -d' ' -f3 "/proc/$(cat "$run/$1.pid")/stat" 2>/dev/null); [ -n "$s" ] && [ "$s" != Z ]
      }
      setting() { sed -n "s/^$1=//p" "$2" | tail -n 1; }
      case "$1" in
        daemon-reload)
          [ $# -eq 1 ] || { echo "lab systemctl: daemon-reload takes nothing: $*" >&2; exit 64; }
          rm -f "$run/loaded/"*
          for f in "$dir"/*.service; do [ -f "$f" ] && cp "$f" "$run/loaded/"; done; exit 0 ;;
        enable)
          [ "$2" = --now ] && [ $# -eq 3 ] || { echo "lab systemctl: enable takes --now UNIT: $*" >&2; exit 64; }
          u=$(unit_of "$3"); k=$(key "$u"); f="$dir/$u"
          [ -f "$f" ] || { echo "Failed to enable unit: Unit file $u does not exist." >&2; exit 1; }
          cmp -s "$f" "$run/loaded/$u" || { echo "lab systemctl: $u changed on disk; run daemon-reload first" >&2; exit 1; }
          grep -q '^WantedBy=' "$f" || { echo "The unit files have no installation config" >&2; exit 1; }
          echo enabled > "$units/$k"
          alive "$k" && exit 0
          exec_start=$(setting ExecStart "$f"); bin=${exec_start%% *}
          wd=$(setting WorkingDirectory "$f"); envfile=$(setting EnvironmentFile "$f")
          port=$(printf '%s\\n' "$exec_start" | sed -n 's/.*--port \\([0-9]*\\).*/\\1/p; s/.*--web.listen-address=[^:]*:\\([0-9]*\\).*/\\1/p')
          status=ok
          [ -x "$bin" ] || status="ExecStart $bin is not executable"
          [ -z "$wd" ] || [ -d "$wd" ] || status="WorkingDirectory $wd does not exist"
          [ -z "$envfile" ] || [ -f "$envfile" ] || status="EnvironmentFile $envfile does not exist"
          [ -n "$port" ] || status="no port in ExecStart: $exec_start"
          rm -f "$run/$k.ready"
          setsid /usr/bin/python3 /usr/local/lib/lab-responder.py "$k" "${port:-0}" "$run/$k.ready" "$status" "$envfile" \\
            </dev/null >>"$run/$k.log" 2>&1 &
          echo $! > "$run/$k.pid"
          i=0; while [ ! -f "$run/$k.ready" ] && alive "$k" && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
          echo "Created symlink /etc/systemd/system/multi-user.target.wants/$u → $f."; exit 0 ;;
        is-active)
          [ $# -eq 2 ] || { echo "lab systemctl: is-active takes one unit: $*" >&2; exit 64; }
          k=$(key "$(unit_of "$2")")
          if alive "$k"; then echo active; exit 0; fi
          if [ -f "$run/$k.pid" ]; then echo failed; exit 3; fi
          echo inactive; exit 3 ;;
        cat)
          [ "$2" = -- ] && [ $# -eq 3 ] || { echo "lab systemctl: cat takes -- UNIT: $*" >&2; exit 64; }
          u=$(unit_of "$3")
          [ -f "$dir/$u" ] || { echo "No files found for $u." >&2; exit 1; }
          echo "# $dir/$u"; cat "$dir/$u"; exit 0 ;;
        disable)
          [ "$2" = --now ] && [ "$3" = -- ] && [ $# -eq 4 ] || { echo "lab systemctl: disable takes --now -- UNIT: $*" >&2; exit 64; }
          u=$(unit_of "$4"); k=$(key "$u")
          [ -f "$dir/$u" ] || { echo "Failed to disable unit: Unit file $u does not exist." >&2; exit 1; }
          if alive "$k"; then kill "$(cat "$run/$k.pid")"; fi
          rm -f "$run/$k.pid" "$run/$k.ready" "$units/$k"
          echo "Removed /etc/systemd/system/multi-user.target.wants/$u."; exit 0 ;;
        *) echo "lab systemctl: unexpected: $*" >&2; exit 64 ;;
      esac
      """;

  private static final String RESPONDER =
      """
      # A running unit in the lab: fails as systemd's would when its files are missing; else answers
      # /health (200 once the .env names the database and it accepts connections), the session
      # query, and node exporter's /metrics from this machine's /proc.
      import http.server, json, os, socket, sys, urllib.parse
      unit, port, ready, status, envfile = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
      if status != "ok":
          sys.exit(unit + ": " + status)
      if unit != "node_exporter" and os.path.exists("/usr/local/lib/lab-fail-api"):
          sys.exit(unit + ": could not connect to the database at start-up (the lab's injected failure)")
      env = {}
      if envfile:
          for line in open(envfile):
              if "=" in line and not line.startswith("#"):
                  k, v = line.rstrip("\\n").split("=", 1)
                  env[k] = v
      def database_ok():
          dsn = env.get("POSTGRES_DSN")
          if not dsn or not env.get("WEAVIATE_ENDPOINT"):
              return False
          u = urllib.parse.urlsplit(dsn)
          try:
              socket.create_connection((u.hostname, u.port or 5432), timeout=2).close()
              return True
          except OSError:
              return False
      def metrics():
          out = []
          for line in open("/proc/stat"):
              f = line.split()
              if f[0].startswith("cpu") and f[0] != "cpu":
                  modes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
                  for mode, v in zip(modes, f[1:9]):
                      out.append('node_cpu_seconds_total{cpu="%s",mode="%s"} %.2f' % (f[0][3:], mode, int(v) / 100))
          mem = {l.split(":")[0]: int(l.split()[1]) * 1024 for l in open("/proc/meminfo")}
          out.append("node_memory_MemTotal_bytes %d" % mem["MemTotal"])
          out.append("node_memory_MemAvailable_bytes %d" % mem["MemAvailable"])
          st = os.statvfs("/")
          out.append('node_filesystem_size_bytes{device="root",fstype="ext4",mountpoint="/"} %d' % (st.f_blocks * st.f_frsize))
          out.append('node_filesystem_avail_bytes{device="root",fstype="ext4",mountpoint="/"} %d' % (st.f_bavail * st.f_frsize))
          return "\\n".join(out) + "\\n"
      class Handler(http.server.BaseHTTPRequestHandler):
          def answer(self, code, body, kind="application/json"):
              data = body.encode()
              self.send_response(code)
              self.send_header("Content-Type", kind)
              self.send_header("Content-Length", str(len(data)))
              self.end_headers()
              self.wfile.write(data)
          def do_GET(self):
              path = self.path.split("?")[0]
              if unit == "node_exporter":
                  if path == "/metrics":
                      return self.answer(200, metrics(), "text/plain; version=0.0.4")
                  return self.answer(404, "not found", "text/plain")
              if path == "/health":
                  ok = database_ok()
                  return self.answer(200 if ok else 503, json.dumps({"status": "ok" if ok else "database unreachable"}))
              if path.startswith("/api/sessions"):
                  return self.answer(200, json.dumps({"sessions": []}))
              return self.answer(404, json.dumps({"detail": "Not Found"}))
          def log_message(self, *args):
              pass
      server = http.server.ThreadingHTTPServer(("0.0.0.0", port), Handler)
      open(ready, "w").close()
      server.serve_forever()
      """;

  /** The node exporter release's one program: never run (systemctl's responder serves it). */
  static final String NODE_EXPORTER =
      """
      #!/bin/sh
      echo "lab stand-in for node_exporter: the lab's systemctl serves :9100/metrics" >&2
      exit 1
      """;

  static void install(LabHost host) {
    try {
      Files.createDirectories(host.dir().resolve("usr-local/var/docker/containers"));
      Files.createDirectories(host.dir().resolve("usr-local/var/units"));
      Files.createDirectories(host.dir().resolve("usr-local/lib/lab-systemd/loaded"));
      write(host.bin().resolve("docker"), DOCKER);
      write(host.bin().resolve("systemctl"), SYSTEMCTL);
      write(host.dir().resolve("usr-local/lib/lab-responder.py"), RESPONDER);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      Cmd.ok("chmod", "755", file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
