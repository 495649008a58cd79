package io.ferry.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The programs that cannot run in the lab (docker, systemctl), as scripts in a host's {@code
 * /usr/local/bin} (first on an SSH session's PATH): each checks its arguments, records the call in
 * {@code /usr/local/var/tool-calls.log} and keeps the state a real one would (compose projects and
 * their services, units' restart counts) under {@code /usr/local/var}.
 */
final class Tools {

  private Tools() {}

  private static final String DOCKER =
      """
      #!/bin/sh
      # lab stand-in for docker: only what Ferry asks, checked; state in /usr/local/var/docker
      echo "docker $*" >> /usr/local/var/tool-calls.log
      state=/usr/local/var/docker/compose
      mkdir -p "$state"
      images=/usr/local/lib/lab-docker-images   # built images: kept, as docker keeps them
      case "$1" in
        login)
          [ "$2" = --username ] && [ -n "$3" ] && [ "$4" = --password-stdin ] && [ -n "$5" ] \
            || { echo "lab docker: login takes --username U --password-stdin SERVER: $*" >&2; exit 64; }
          token=$(cat); [ -n "$token" ] || { echo "lab docker: no token on stdin" >&2; exit 64; }
          echo "Login Succeeded"; exit 0 ;;
        build)
          shift; file=; target=; tag=
          while [ $# -gt 1 ]; do
            case "$1" in
              --file) file=$2; shift 2 ;;
              --target) target=$2; shift 2 ;;
              --tag) tag=$2; shift 2 ;;
              *) echo "lab docker: unexpected build option $1" >&2; exit 64 ;;
            esac
          done
          [ -d "$1" ] || { echo "lab docker: no build context $1" >&2; exit 64; }
          [ -f "$file" ] || { echo "lab docker: no Dockerfile $file" >&2; exit 1; }
          [ -n "$tag" ] || { echo "lab docker: build without --tag" >&2; exit 64; }
          if [ -n "$target" ] && ! grep -qi "^FROM .* AS $target\\$" "$file"; then
            echo "lab docker: target stage $target not found in $file" >&2; exit 1
          fi
          mkdir -p "$images"
          printf '%s\n' "$tag" > "$images/$(printf '%s' "$tag" | tr '/:' '__')"
          echo "built $tag"; exit 0 ;;
        push)
          [ $# -eq 2 ] || { echo "lab docker: push takes one reference: $*" >&2; exit 64; }
          [ -f "$images/$(printf '%s' "$2" | tr '/:' '__')" ] || { echo "lab docker: no image $2" >&2; exit 1; }
          # the registry is the lab's DigitalOcean stand-in: hand it the push, wait for its digest
          reg=/usr/local/lib/lab-registry; mkdir -p "$reg"
          id=$(date +%s%N); printf '%s\n' "$2" > "$reg/push-$id.req"
          i=0; while [ ! -f "$reg/push-$id.digest" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
          [ -f "$reg/push-$id.digest" ] || { echo "lab docker: the registry did not answer" >&2; exit 1; }
          digest=$(cat "$reg/push-$id.digest"); rm -f "$reg/push-$id.req" "$reg/push-$id.digest"
          printf '%s@%s\n' "${2%:*}" "$digest" > "$images/$(printf '%s' "$2" | tr '/:' '__').digest"
          echo "${2##*:}: digest: $digest size: 1234"; exit 0 ;;
        image)
          [ "$2" = inspect ] || { echo "lab docker: unexpected: $*" >&2; exit 64; }
          for ref; do :; done   # the last argument
          cat "$images/$(printf '%s' "$ref" | tr '/:' '__').digest" 2>/dev/null || exit 1
          exit 0 ;;
        compose) ;;
        *) echo "lab docker: unexpected command: $*" >&2; exit 64 ;;
      esac
      shift
      project=; file=
      while [ $# -gt 0 ]; do
        case "$1" in
          -p) project=$2; shift 2 ;;
          -f) file=$2; shift 2 ;;
          *) break ;;
        esac
      done
      [ -n "$project" ] || { echo "lab docker: compose without -p" >&2; exit 64; }
      case "$*" in
        "up -d --remove-orphans")
          [ -f "$file" ] || { echo "lab docker: no compose file $file" >&2; exit 14; }
          # the services: two-space-indented keys under services:
          awk '/^services:/{s=1;next} /^[^ ]/{s=0} s && /^  [A-Za-z0-9_.-]+:[ ]*$/{sub(/:.*/,"");sub(/^  /,"");print}' \\
            "$file" > "$state/$project"
          [ -s "$state/$project" ] || { echo "lab docker: no services in $file" >&2; exit 15; }
          # a scenario whose checks need the services to answer starts responders here
          hook=/usr/local/lib/lab-compose-hook
          [ ! -x "$hook" ] || "$hook" up "$project" "$file" || exit 16 ;;
        "ps --format json")
          [ -f "$state/$project" ] || exit 0
          while read -r s; do printf '{"Service":"%s","State":"running"}\\n' "$s"; done < "$state/$project" ;;
        "down --remove-orphans")
          hook=/usr/local/lib/lab-compose-hook
          [ ! -x "$hook" ] || "$hook" down "$project" || exit 16
          rm -f "$state/$project" ;;
        *) echo "lab docker: unexpected compose command: $*" >&2; exit 64 ;;
      esac
      """;

  private static final String SYSTEMCTL =
      """
      #!/bin/sh
      # lab stand-in for systemctl: restart/is-active of units, counted in /usr/local/var/units
      echo "systemctl $*" >> /usr/local/var/tool-calls.log
      units=/usr/local/var/units
      mkdir -p "$units"
      case "$1" in
        restart|start)
          [ $# -eq 2 ] || { echo "lab systemctl: $1 takes one unit: $*" >&2; exit 64; }
          n=$(cat "$units/$2" 2>/dev/null || echo 0); echo $((n + 1)) > "$units/$2" ;;
        is-active)
          [ -f "$units/$2" ] && { echo active; exit 0; }; echo inactive; exit 3 ;;
        *) echo "lab systemctl: unexpected: $*" >&2; exit 64 ;;
      esac
      """;

  static void install(LabHost host) {
    try {
      // the tools' state directories exist before any run, as docker's and systemd's would
      Files.createDirectories(host.dir().resolve("usr-local/var/docker/compose"));
      Files.createDirectories(host.dir().resolve("usr-local/var/units"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    write(host.bin().resolve("docker"), DOCKER);
    write(host.bin().resolve("systemctl"), SYSTEMCTL);
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
      Cmd.ok("chmod", "755", file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
