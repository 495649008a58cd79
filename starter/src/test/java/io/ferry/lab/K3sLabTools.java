package io.ferry.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What cannot run in the lab for k3s, as argument-checking scripts: the K3s installer (the file the
 * worker uploads), the k3s binary and its uninstall scripts it leaves, helm on the master and
 * docker's Swarm commands on the manager. Each records its calls in {@code
 * /usr/local/var/tool-calls.log} and makes the Kubernetes API stand-in reflect what it did (with
 * curl and the API token the lab provisions in {@code /usr/local/lib/lab-k3s}).
 */
final class K3sLabTools {

  private K3sLabTools() {}

  /** The get.k3s.io stand-in: {@code sh install.sh server|agent FLAGS}, the token on the env. */
  static final String INSTALLER =
      """
      #!/bin/sh
      # lab stand-in for get.k3s.io: checks Ferry's flags, installs the lab's k3s, registers the node
      set -eu
      mkdir -p /usr/local/var
      echo "k3s-installer $* (INSTALL_K3S_VERSION=${INSTALL_K3S_VERSION:-})" >> /usr/local/var/tool-calls.log
      fail() { echo "lab k3s installer: $*" >&2; exit 64; }
      [ -n "${K3S_TOKEN:-}" ] || fail "no K3S_TOKEN in the environment"
      case "${INSTALL_K3S_VERSION:-}" in v*+k3s*) ;; *) fail "INSTALL_K3S_VERSION is not a K3s release: ${INSTALL_K3S_VERSION:-}" ;; esac
      role=${1:-}; shift || true
      name=; server=; init=0; disabled=; mode=
      while [ $# -gt 0 ]; do
        case "$1" in
          --node-name) name=$2; shift 2 ;;
          --server) server=$2; shift 2 ;;
          --cluster-init) init=1; shift ;;
          --disable) disabled=$2; shift 2 ;;
          --write-kubeconfig-mode) mode=$2; shift 2 ;;
          *) fail "unexpected option $1" ;;
        esac
      done
      [ -n "$name" ] || fail "no --node-name"
      lib=/usr/local/lib/lab-k3s
      case "$role" in
        server)
          [ "$disabled" = traefik ] || fail "a server goes in with --disable traefik"
          [ "$mode" = 644 ] || fail "a server goes in with --write-kubeconfig-mode 644"
          if [ $init = 1 ]; then
            [ -z "$server" ] || fail "--cluster-init and --server together"
            api=https://127.0.0.1:6443
          else
            [ -n "$server" ] || fail "a joining server needs --server"; api=$server
          fi ;;
        agent)
          [ $init = 0 ] && [ -z "$disabled" ] || fail "server options for an agent"
          [ -n "$server" ] || fail "an agent needs --server"; api=$server ;;
        *) fail "the role must be server or agent, was $role" ;;
      esac
      bearer=$(cat "$lib/api-token")
      kube() { curl -sSfk -H "Authorization: Bearer $bearer" -H 'Content-Type: application/json' "$@"; }
      put() { # create, or replace what a first attempt made
        kube -X POST "$api$1" -d "$3" >/dev/null 2>&1 || kube -X PUT "$api$1/$2" -d "$3" >/dev/null
      }
      sha=$(printf '%s' "$K3S_TOKEN" | sha256sum | cut -c1-64)
      if [ "$role" = server ] && [ $init = 1 ]; then
        mkdir -p /etc/rancher/k3s /var/lib/rancher/k3s/server
        # K3s's node token: K10<CA hash>::server:<the cluster token>
        node_token="K10$(printf '%s' "$name" | sha256sum | cut -c1-64)::server:$K3S_TOKEN"
        umask 077; printf '%s\\n' "$node_token" > /var/lib/rancher/k3s/server/node-token; umask 022
        joins=$(printf '%s' "$node_token" | sha256sum | cut -c1-64)
        put /api/v1/namespaces/kube-system/configmaps lab-k3s-join \\
          "{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"ConfigMap\\",\\"metadata\\":{\\"name\\":\\"lab-k3s-join\\",\\"namespace\\":\\"kube-system\\"},\\"data\\":{\\"token\\":\\"$sha\\",\\"node\\":\\"$joins\\"}}"
        cat > /etc/rancher/k3s/k3s.yaml <<KUBECONFIG
      apiVersion: v1
      kind: Config
      clusters:
      - cluster:
          insecure-skip-tls-verify: true
          server: https://127.0.0.1:6443
        name: default
      contexts:
      - context:
          cluster: default
          user: default
        name: default
      current-context: default
      users:
      - name: default
        user:
          token: $bearer
      KUBECONFIG
        chmod 644 /etc/rancher/k3s/k3s.yaml
        uninstall=k3s-uninstall.sh
      else
        # the cluster checks the joining node's token
        known=$(kube "$api/api/v1/namespaces/kube-system/configmaps/lab-k3s-join") \\
          || fail "cannot reach the cluster at $api"
        case "$known" in
          *"\\"node\\":\\"$sha\\""*|*"\\"token\\":\\"$sha\\""*) ;;
          *) fail "the join token is not the cluster's" ;;
        esac
        uninstall=k3s-agent-uninstall.sh
        [ "$role" = agent ] || uninstall=k3s-uninstall.sh
      fi
      gpus=$(cat "$lib/gpus" 2>/dev/null || echo 0)
      put /api/v1/nodes "$name" \\
        "{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"Node\\",\\"metadata\\":{\\"name\\":\\"$name\\",\\"labels\\":{\\"kubernetes.io/hostname\\":\\"$name\\"}},\\"status\\":{\\"conditions\\":[{\\"type\\":\\"Ready\\",\\"status\\":\\"True\\",\\"reason\\":\\"KubeletReady\\"}],\\"allocatable\\":{\\"cpu\\":\\"4\\",\\"nvidia.com/gpu\\":\\"$gpus\\"}}}"
      printf '#!/bin/sh\\necho "k3s $*" >> /usr/local/var/tool-calls.log\\n[ "$1" = --version ] || { echo "lab k3s: unexpected: $*" >&2; exit 64; }\\necho "k3s version %s (lab)"\\n' \\
        "$INSTALL_K3S_VERSION" > /usr/local/bin/k3s
      sed -e "s|@NAME@|$name|" -e "s|@API@|$api|" -e "s|@ROLE@|$role$init|" "$lib/uninstall.sh" > "/usr/local/bin/$uninstall"
      chmod 755 /usr/local/bin/k3s "/usr/local/bin/$uninstall"
      echo "[INFO]  lab: k3s $INSTALL_K3S_VERSION $role $name installed"
      """;

  /** The uninstall script the installer leaves, as K3s's: files gone, the node unregistered. */
  private static final String UNINSTALL =
      """
      #!/bin/sh
      echo "$(basename "$0")" >> /usr/local/var/tool-calls.log
      [ $# -eq 0 ] || { echo "lab k3s uninstall: takes no arguments: $*" >&2; exit 64; }
      bearer=$(cat /usr/local/lib/lab-k3s/api-token)
      kube() { curl -sSk -o /dev/null -H "Authorization: Bearer $bearer" "$@"; }
      kube -X DELETE "@API@/api/v1/nodes/@NAME@"
      if [ "@ROLE@" = server1 ]; then
        # the cluster goes with its first server (the lab's nodes are unregistered by then)
        kube -X DELETE "@API@/api/v1/namespaces/kube-system/configmaps/lab-k3s-join"
      fi
      rm -rf /etc/rancher/k3s /var/lib/rancher/k3s
      rmdir /etc/rancher /var/lib/rancher 2>/dev/null
      rm -f /usr/local/bin/k3s /usr/local/bin/k3s-uninstall.sh /usr/local/bin/k3s-agent-uninstall.sh
      exit 0
      """;

  /** helm on the master: releases' revisions under /usr/local/var/helm, Deployments in the API. */
  private static final String HELM =
      """
      #!/bin/sh
      echo "helm $*" >> /usr/local/var/tool-calls.log
      fail() { echo "Error: $*" >&2; exit 1; }
      [ -f "${KUBECONFIG:-}" ] || fail "Kubernetes cluster unreachable: no kubeconfig ${KUBECONFIG:-}"
      api=$(sed -n 's/^ *server: *//p' "$KUBECONFIG")
      bearer=$(sed -n 's/^ *token: *//p' "$KUBECONFIG")
      kube() { curl -sSfk -H "Authorization: Bearer $bearer" -H 'Content-Type: application/json' "$@"; }
      cmd=$1; shift; chart=
      if [ "$cmd" = upgrade ]; then
        [ "${1:-}" = --install ] || fail "lab helm: upgrade without --install"
        release=$2; chart=$3; shift 3
      else
        release=$1; shift
      fi
      ns=; tag=; desc=; create=0; json=0; revision=
      while [ $# -gt 0 ]; do
        case "$1" in
          -n) ns=$2; shift 2 ;;
          --create-namespace) create=1; shift ;;
          --set) case "$2" in global.imageTag=*) tag=${2#global.imageTag=} ;; *) fail "unexpected --set $2" ;; esac; shift 2 ;;
          --description) desc=$2; shift 2 ;;
          -o) [ "$2" = json ] || fail "output $2"; json=1; shift 2 ;;
          [0-9]*) revision=$1; shift ;;
          *) fail "unexpected argument $1" ;;
        esac
      done
      [ -n "$ns" ] || fail "no -n"
      state=/usr/local/var/helm/$ns/$release
      deployment() { # $1 tag, $2 revision: the release's Deployment as its chart makes it
        replicas=$(sed -n 's/^replicaCount: *//p' "$(cat "$state/chart")/values.yaml"); replicas=${replicas:-1}
        body="{\\"apiVersion\\":\\"apps/v1\\",\\"kind\\":\\"Deployment\\",\\"metadata\\":{\\"name\\":\\"$release\\",\\"namespace\\":\\"$ns\\",\\"labels\\":{\\"app.kubernetes.io/instance\\":\\"$release\\"},\\"annotations\\":{\\"lab/image-tag\\":\\"$1\\",\\"lab/revision\\":\\"$2\\"}},\\"spec\\":{\\"replicas\\":$replicas,\\"selector\\":{\\"matchLabels\\":{\\"app\\":\\"$release\\"}},\\"template\\":{\\"metadata\\":{\\"labels\\":{\\"app\\":\\"$release\\"}},\\"spec\\":{\\"containers\\":[{\\"name\\":\\"app\\",\\"image\\":\\"registry.lab/$release:$1\\"}]}}},\\"status\\":{\\"replicas\\":$replicas,\\"readyReplicas\\":$replicas,\\"availableReplicas\\":$replicas,\\"updatedReplicas\\":$replicas}}"
        url="$api/apis/apps/v1/namespaces/$ns/deployments"
        kube -X POST "$url" -d "$body" >/dev/null 2>&1 || kube -X PUT "$url/$release" -d "$body" >/dev/null || fail "the API refused the Deployment"
        kube -X PUT "$url/$release/status" -d "$body" >/dev/null 2>&1 || true
      }
      last() { tail -n 1 "$state/revisions" | cut -d'|' -f1; }
      case "$cmd" in
        history)
          [ $json = 1 ] || fail "lab helm: history wants -o json"
          [ -f "$state/revisions" ] || fail "release: not found"
          printf '['; sep=
          while IFS='|' read -r n status tag d; do
            printf '%s{"revision":%s,"status":"%s","description":"%s"}' "$sep" "$n" "$status" "$d"; sep=,
          done < "$state/revisions"
          echo ']' ;;
        upgrade)
          [ -n "$chart" ] && [ -f "$chart/Chart.yaml" ] || fail "chart $chart: no Chart.yaml"
          [ -n "$tag" ] && [ $json = 1 ] && [ -n "$desc" ] || fail "lab helm: upgrade wants --set global.imageTag, --description and -o json"
          if [ $create = 1 ]; then
            kube -X POST "$api/api/v1/namespaces" -d "{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"Namespace\\",\\"metadata\\":{\\"name\\":\\"$ns\\"}}" >/dev/null 2>&1 || true
          fi
          mkdir -p "$state"; printf '%s\\n' "$chart" > "$state/chart"
          n=1; [ -f "$state/revisions" ] && n=$(( $(last) + 1 ))
          [ -f "$state/revisions" ] && sed -i 's/|deployed|/|superseded|/' "$state/revisions"
          deployment "$tag" "$n"
          printf '%s|deployed|%s|%s\\n' "$n" "$tag" "$desc" >> "$state/revisions"
          printf '{"name":"%s","namespace":"%s","version":%s,"info":{"status":"deployed"}}\\n' "$release" "$ns" "$n" ;;
        rollback)
          [ -f "$state/revisions" ] || fail "release: not found"
          to=$(grep "^$revision|" "$state/revisions" | cut -d'|' -f3)
          [ -n "$to" ] || fail "release has no $revision version"
          n=$(( $(last) + 1 ))
          sed -i 's/|deployed|/|superseded|/' "$state/revisions"
          deployment "$to" "$n"
          printf '%s|deployed|%s|Rollback to %s\\n' "$n" "$to" "$revision" >> "$state/revisions"
          echo "Rollback was a success! Happy Helming!" ;;
        uninstall)
          [ -f "$state/revisions" ] || fail "uninstall: Release not loaded: $release: release: not found"
          kube -X DELETE "$api/apis/apps/v1/namespaces/$ns/deployments/$release" >/dev/null || true
          rm -rf "$state"; rmdir "/usr/local/var/helm/$ns" /usr/local/var/helm 2>/dev/null
          echo "release \\"$release\\" uninstalled" ;;
        *) fail "lab helm: unexpected command $cmd" ;;
      esac
      """;

  /**
   * docker's Swarm commands on the manager: stacks are files under /usr/local/var/docker/stacks.
   */
  private static final String SWARM_DOCKER =
      """
      #!/bin/sh
      echo "docker $*" >> /usr/local/var/tool-calls.log
      stacks=/usr/local/var/docker/stacks
      case "$*" in
        "stack ls --format {{.Name}}") ls "$stacks" 2>/dev/null; exit 0 ;;
        "stack rm "*)
          [ $# -eq 3 ] || { echo "lab docker: stack rm takes one stack: $*" >&2; exit 64; }
          [ -f "$stacks/$3" ] || { echo "Nothing found in stack: $3"; exit 0; }
          rm -f "$stacks/$3"; echo "Removing network $3_default" ;;
        *) echo "lab docker: unexpected command: $*" >&2; exit 64 ;;
      esac
      """;

  /** A K3s host: the API token and the GPUs the lab gives it; the installer writes the rest. */
  static void cluster(LabHost host, Path apiToken, int gpus) {
    Path lib = host.dir().resolve("usr-local/lib/lab-k3s");
    try {
      Files.createDirectories(lib);
      Files.createDirectories(host.dir().resolve("usr-local/var"));
      Files.copy(apiToken, lib.resolve("api-token"));
      Files.writeString(lib.resolve("gpus"), gpus + "\n");
      Files.writeString(lib.resolve("uninstall.sh"), UNINSTALL);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void helm(LabHost master) {
    write(master.bin().resolve("helm"), HELM);
  }

  static void swarm(LabHost manager) {
    try {
      Files.createDirectories(manager.dir().resolve("usr-local/var/docker/stacks"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    write(manager.bin().resolve("docker"), SWARM_DOCKER);
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
