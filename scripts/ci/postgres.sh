#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: 127.0.0.1:${ELBOW_PG_PORT:-54329}, trust auth, data in a temp dir.
#
#   eval "$(scripts/ci/postgres.sh start)"   # starts it, prints the exports (TEST_DATABASE_URL, ELBOW_PG_DIR)
#   scripts/ci/postgres.sh stop              # stops it and removes its dir (uses ELBOW_PG_DIR, or pass the dir)
#   scripts/ci/postgres.sh run npx mocha 'test/store/**/*.test.ts'   # start, run the command, stop
#
# Installs the server with apt-get when no initdb is found (root, or passwordless sudo). As root the cluster
# runs as the `postgres` user (or `nobody`), since PostgreSQL refuses to run as root.
set -euo pipefail

PORT="${ELBOW_PG_PORT:-54329}"

say() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"; else return 1; fi
}

install_server() {
  command -v apt-get >/dev/null 2>&1 || { say "no PostgreSQL binaries and no apt-get"; return 1; }
  say "installing PostgreSQL with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
}

run_user() {
  if [ "$(id -u)" != 0 ]; then id -un; elif id postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi
}

# Runs a command as the cluster's user.
as_user() {
  local user="$1"; shift
  if [ "$user" = "$(id -un)" ]; then "$@"; else runuser -u "$user" -- "$@"; fi
}

start() {
  local bin user dir
  bin="$(find_bin)" || { install_server && bin="$(find_bin)"; } || { say "PostgreSQL server binaries not available"; return 1; }
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; then
    say "something already listens on 127.0.0.1:$PORT; stop it or set ELBOW_PG_PORT"; return 1
  fi
  user="$(run_user)"
  dir="$(mktemp -d "${TMPDIR:-/tmp}/elbow-pg.XXXXXX")"
  mkdir -p "$dir/sock"
  [ "$user" = "$(id -un)" ] || chown -R "$user" "$dir"
  chmod 755 "$dir"
  as_user "$user" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; return 1; }
  # A throwaway cluster: fsync off for speed (the store's durability tests kill clients, not the server).
  as_user "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $PORT -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" \
    start >&2 || { cat "$dir/server.log" >&2; rm -rf "$dir"; return 1; }
  say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running as $user on 127.0.0.1:$PORT ($dir)"
  echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
  echo "export ELBOW_PG_DIR=$dir"
}

stop() {
  local dir="${1:-${ELBOW_PG_DIR:-}}" bin user
  [ -n "$dir" ] && [ -d "$dir" ] || { say "nothing to stop"; return 0; }
  bin="$(find_bin)" || true
  user="$(stat -c %U "$dir/data" 2>/dev/null || id -un)"
  if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
    as_user "$user" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || say "pg_ctl stop failed"
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "${1:-}" ;;
  run)
    shift
    exports="$(start)"
    eval "$exports"
    trap 'stop "$ELBOW_PG_DIR"' EXIT
    "$@"
    ;;
  *) echo "usage: $0 start | stop [dir] | run command..." >&2; exit 2 ;;
esac
