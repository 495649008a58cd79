package io.ferry.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What stands in for a compose project's containers on a lab host whose checks need them to answer:
 * a hook the docker stand-in runs on {@code compose up} and {@code down}. Per published port of the
 * compose file it starts a real server: redis-server (with the .env's EVENT_BUS_PASSWORD) for a
 * {@code redis} image, else one nginx answering 200 on every port, except {@code /api/} of a
 * service whose name is a file in the failure directory (503: the world failing).
 */
final class ComposeResponders {

  private ComposeResponders() {}

  private static final String HOOK =
      """
      #!/bin/sh
      # lab: the compose project's services as real servers; runtime files outside /opt and /usr/local
      set -u
      action=$1; project=$2
      run=@RUN@/$project
      fail=@FAIL@
      stop() {
        for p in "$run"/*.pid; do
          [ -f "$p" ] || continue
          pid=$(cat "$p"); kill "$pid" 2>/dev/null
          i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
        done
        rm -rf "$run"
      }
      case "$action" in
        down) stop; exit 0 ;;
        up) ;;
        *) echo "lab compose hook: unexpected $action" >&2; exit 64 ;;
      esac
      file=$3
      stop
      mkdir -p "$run"
      # service, published port, image: from two-space service keys and their ports/image lines
      awk '/^  [A-Za-z0-9_.-]+:[ ]*$/ { s = $1; sub(/:$/, "", s) }
           /^    image:/ { img[s] = $2 }
           /^    ports:/ { p = $0; gsub(/.*[[]"|:.*/, "", p); port[s] = p }
           END { for (x in port) print x, port[x], img[x] }' "$file" > "$run/services"
      password=$(sed -n 's/^EVENT_BUS_PASSWORD=//p' "$(dirname "$file")/.env")
      servers=
      while read -r name port image; do
        case "$image" in
          redis:*|redis)
            printf 'port %s\\nbind 0.0.0.0\\nsave ""\\nappendonly no\\ndaemonize yes\\npidfile %s\\ndir %s\\nrequirepass "%s"\\n' \\
              "$port" "$run/$name.pid" "$run" "$password" > "$run/$name.conf"
            chmod 600 "$run/$name.conf"
            redis-server "$run/$name.conf" >/dev/null || exit 1 ;;
          *)
            servers="$servers server { listen $port; location /api/ { if (-f $fail/$name) { return 503 \\"$name failing\\\\n\\"; } return 200 \\"$name\\\\n\\"; } location / { return 200 \\"$name\\\\n\\"; } }"
        esac
      done < "$run/services"
      if [ -n "$servers" ]; then
        printf 'pid %s;\\nerror_log %s;\\nevents { worker_connections 64; }\\nhttp { access_log off; client_body_temp_path %s/b; proxy_temp_path %s/p; fastcgi_temp_path %s/f; uwsgi_temp_path %s/u; scgi_temp_path %s/s;\\n%s\\n}\\n' \\
          "$run/nginx.pid" "$run/error.log" "$run" "$run" "$run" "$run" "$run" "$servers" > "$run/nginx.conf"
        /usr/sbin/nginx -c "$run/nginx.conf" -e "$run/error.log" || exit 1
      fi
      """;

  /**
   * Installs the hook on {@code host}; runtime files go to {@code run}, failures in {@code fail}.
   */
  static void install(LabHost host, Path run, Path fail) {
    try {
      Files.createDirectories(run);
      Files.createDirectories(fail);
      Path lib = host.dir().resolve("usr-local/lib");
      Files.createDirectories(lib);
      Path hook = lib.resolve("lab-compose-hook");
      Files.writeString(
          hook, HOOK.replace("@RUN@", run.toString()).replace("@FAIL@", fail.toString()));
      Cmd.ok("chmod", "755", hook.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
