# Sourced by the benchmark scripts (needs $work and $pgport). The embedded PostgreSQL lives as long
# as the process that started it, so an idle Tollgate with no roles holds it, migrated, in $work/pg;
# it uses no CPU meanwhile. start_embedded_db sets $holder, the process to kill when done.
# Every connection needs the password Tollgate keeps in $work/pg/tollgate.password: use_pg_password
# puts it in a pgpass file, which psql and the JDBC driver (-Dspring.datasource.url=…) both read.
use_pg_password() {
  printf '127.0.0.1:%s:*:postgres:%s\n' "$pgport" "$(cat "$work/pg/tollgate.password")" > "$work/pgpass"
  chmod 600 "$work/pgpass"
  export PGPASSFILE="$work/pgpass"
}

sql() { psql -h 127.0.0.1 -p "$pgport" -U postgres -d postgres -X -v ON_ERROR_STOP=1 -At -c "$1"; }

start_embedded_db() {
  TOLLGATE_JAVA_OPTS="-Xmx256m" ./tollgate -Dtollgate.roles= -Dtollgate.embedded-db.data-dir="$work/pg" \
    -Dtollgate.embedded-db.port="$pgport" run > "$work/holder.log" 2>&1 &
  holder=$!
  for _ in $(seq 600); do
    grep -q "Started TollgateMain" "$work/holder.log" && { use_pg_password; return 0; }
    kill -0 "$holder" 2>/dev/null || { echo "Tollgate did not start:"; tail -20 "$work/holder.log"; exit 1; }
    sleep 1
  done
  echo "Tollgate did not start in 600 s"
  exit 1
}
