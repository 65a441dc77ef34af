# Starts a throw-away PostgreSQL 15 on loopback (temporary data directory, free port, password
# authentication over TCP) and exports GAINSLY_PG_ADMIN, a libpq conninfo for its superuser.
# pg_stop removes it; pg_start installs an EXIT trap that does so.
pg_start() {
  local bin=/usr/lib/postgresql/15/bin
  PG_TMP=$(mktemp -d /tmp/gainsly-pg.XXXXXX)
  local port pw as=()
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  pw=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  printf '%s\n' "$pw" > "$PG_TMP/pw"
  if [ "$(id -u)" -eq 0 ]; then  # PostgreSQL refuses to run as root
    chown -R postgres "$PG_TMP"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$PG_TMP/data" -U postgres -E UTF8 --auth-local=trust --auth-host=scram-sha-256 \
    --pwfile="$PG_TMP/pw" >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w \
    -o "-p $port -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  export GAINSLY_PG_ADMIN="host=127.0.0.1 port=$port user=postgres password=$pw dbname=postgres"
  export GAINSLY_REQUIRE_PG=1
  PG_AS=("${as[@]}")
  trap pg_stop EXIT
  echo "PostgreSQL 15 started on 127.0.0.1:$port (data in $PG_TMP)"
}

pg_stop() {
  [ -n "${PG_TMP:-}" ] || return 0
  "${PG_AS[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "$PG_TMP/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_TMP"
  PG_TMP=""
}
