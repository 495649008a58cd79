#!/bin/sh
# Namespace and search-attribute bootstrap, run once per `docker compose up` by the
# temporal-bootstrap service (image temporalio/admin-tools, `temporal` CLI).
#
# 1. waits until the frontend reports SERVING (`temporal operator cluster health`);
# 2. creates the namespace if it does not exist yet;
# 3. registers Ferry's custom search attributes, all Keyword, which the Web UI uses to filter
#    migrations by roadmap, state (e.g. awaiting-approval) and phase.
#
# Re-running is safe: an attribute that already exists with the same type is left alone (the
# CLI checks the type first, the server skips names already registered). An attribute that
# exists with another type is an error and stops the stack here, on purpose.
#
# Environment: TEMPORAL_ADDRESS (host:port), TEMPORAL_NAMESPACE, TEMPORAL_NAMESPACE_RETENTION.
set -eu

ADDR="${TEMPORAL_ADDRESS:-temporal:7233}"
NS="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-720h}"
ATTEMPTS="${BOOTSTRAP_ATTEMPTS:-60}"
SLEEP="${BOOTSTRAP_SLEEP_SECONDS:-3}"

give_up() {
  echo "$1" >&2
  exit 1
}

echo "Waiting for the Temporal frontend at $ADDR ..."
n=1
until temporal operator cluster health --address "$ADDR"; do
  [ "$n" -lt "$ATTEMPTS" ] || give_up "Temporal at $ADDR is not healthy after $n attempts"
  n=$((n + 1))
  sleep "$SLEEP"
done

n=1
while :; do
  if temporal operator namespace describe --address "$ADDR" --namespace "$NS" >/dev/null 2>&1; then
    echo "Namespace '$NS' exists."
    break
  fi
  if temporal operator namespace create --address "$ADDR" --namespace "$NS" --retention "$RETENTION"; then
    echo "Namespace '$NS' created (retention $RETENTION)."
    break
  fi
  [ "$n" -lt "$ATTEMPTS" ] || give_up "could not create namespace '$NS' after $n attempts"
  n=$((n + 1))
  sleep "$SLEEP"
done

# A namespace created a moment ago may not be visible to every service yet: retry.
n=1
while :; do
  if out=$(temporal operator search-attribute create --address "$ADDR" --namespace "$NS" \
      --name FerryRoadmap --type Keyword \
      --name FerryState --type Keyword \
      --name FerryPhase --type Keyword 2>&1); then
    echo "$out"
    break
  fi
  echo "$out" >&2
  case "$out" in
    *"different type"*) give_up "a Ferry search attribute exists with another type; fix it by hand" ;;
  esac
  [ "$n" -lt "$ATTEMPTS" ] || give_up "could not register search attributes after $n attempts"
  n=$((n + 1))
  sleep "$SLEEP"
done

temporal operator search-attribute list --address "$ADDR" --namespace "$NS"
echo "Namespace '$NS' is ready for Ferry."
