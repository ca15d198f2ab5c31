#!/usr/bin/env bash
# TPC-H benchmark: Grizzly (interpret, jit, adaptive) against DuckDB, SQLite and
# PostgreSQL (JIT off and on), on the same data, in one command:
#
#   benchmarks/tpch/run.sh --sf X [--threads N] [--runs R] [--timeout SEC]
#                          [--engines grizzly,duckdb,sqlite,postgres] [--scaling]
#
#   --sf        scale factor (0.01, 0.1, 1, ...)                     required
#   --threads   threads per query for every engine that can use them  default 1
#   --runs      timed runs per query after the first (cold) run       default 3
#   --timeout   per-run limit in seconds; slower runs count as timeout default 300
#   --engines   comma-separated subset of grizzly,duckdb,sqlite,postgres
#   --scaling   also Grizzly adaptive and DuckDB on one thread: the report
#               gives each one's speedup of N threads over one, from the same run
#
# It installs what is missing (Debian packages sqlite3, postgresql, nodejs, npm,
# gnuplot-nox; DuckDB's Node.js package into benchmarks/tpch/node_modules), builds
# build-release/benchmarks/grizzly-tpch-bench, generates the data with Grizzly's
# CALL dbgen and exports it once to build-release/tpch-sf<X>/data/*.tbl, which
# every engine then loads. Results: benchmarks/results/tpch_sf<X>_threads<N>.md
# and .png; the raw per-engine lines, logs and query answers stay in
# build-release/tpch-sf<X>/run-threads<N>/.
#
# Environment: BUILD_JOBS (ninja -j for the Grizzly build), TPCH_SHARED (folder
# with queries/ and queries-sqlite/, default ../shared/tpch next to the repo).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD=$REPO/build-release
BENCH=$BUILD/benchmarks/grizzly-tpch-bench
SHARED=${TPCH_SHARED:-$REPO/../shared/tpch}
QUERIES=$SHARED/queries
QUERIES_SQLITE=$SHARED/queries-sqlite
SCHEMA=$HERE/schema.sql
RESULTS_DIR=$REPO/benchmarks/results

SF="" THREADS=1 RUNS=3 TIMEOUT=300 ENGINES=grizzly,duckdb,sqlite,postgres SCALING=0

usage() { sed -n '5,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit "${1:-2}"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sf) SF=${2:-}; shift 2 ;;
    --threads) THREADS=${2:-}; shift 2 ;;
    --runs) RUNS=${2:-}; shift 2 ;;
    --timeout) TIMEOUT=${2:-}; shift 2 ;;
    --engines) ENGINES=${2:-}; shift 2 ;;
    --scaling) SCALING=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage ;;
  esac
done
[[ $SF =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "run.sh: --sf needs a number" >&2; usage; }
for n in "$THREADS" "$RUNS" "$TIMEOUT"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --threads, --runs and --timeout need positive integers" >&2; usage; }
done
has_engine() { [[ ",$ENGINES," == *",$1,"* ]]; }
for e in ${ENGINES//,/ }; do
  [[ $e =~ ^(grizzly|duckdb|sqlite|postgres)$ ]] || { echo "run.sh: unknown engine $e" >&2; usage; }
done

WORK=$BUILD/tpch-sf$SF
DATA=$WORK/data
RUN=$WORK/run-threads$THREADS
TABLES=(region nation part supplier partsupp customer orders lineitem)

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# --- 1. Peer engines and tools ------------------------------------------------

# The PostgreSQL server programs are not on PATH in Debian; take the newest.
pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [[ -n $dir && -x $dir/initdb ]] && echo "$dir"
}

install_packages() {
  local missing=()
  command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
  # gnuplot-nox: the gnuplot command with its PNG terminals, without a GUI toolkit.
  command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
  command -v timeout >/dev/null || missing+=(coreutils)
  if has_engine sqlite; then command -v sqlite3 >/dev/null || missing+=(sqlite3); fi
  if has_engine postgres; then pg_bindir >/dev/null || missing+=(postgresql); fi
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  # Grizzly's own build dependencies (compiler, LLVM, ...); a no-op when present.
  "$REPO/tools/install-deps.sh"
}

# DuckDB comes from npm at the version pinned in package.json (no lock file: one
# exact dependency). Reinstalled only when missing or at another version.
install_duckdb() {
  local want have
  want=$(node -p "require('$HERE/package.json').dependencies['@duckdb/node-api']")
  have=$(node -p "require('$HERE/node_modules/@duckdb/node-api/package.json').version" 2>/dev/null || true)
  if [[ $have != "$want" ]]; then
    log "installing @duckdb/node-api $want"
    (cd "$HERE" && npm install --no-package-lock --no-audit --no-fund --loglevel=error)
  fi
}

# --- 2. Grizzly's bench binary --------------------------------------------------

build_grizzly() {
  if [[ ! -f $BUILD/build.ninja ]]; then
    log "configuring $BUILD"
    cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  log "building grizzly-tpch-bench (incremental; output in $BUILD/tpch-build.log)"
  if ! ninja -C "$BUILD" ${BUILD_JOBS:+-j "$BUILD_JOBS"} grizzly-tpch-bench >"$BUILD/tpch-build.log" 2>&1; then
    tail -30 "$BUILD/tpch-build.log" >&2
    echo "run.sh: the Grizzly build failed" >&2
    exit 1
  fi
}

# --- 3. Data --------------------------------------------------------------------

# Generated once per scale factor; .complete marks a finished export, so an
# interrupted one is redone rather than half-used.
generate_data() {
  if [[ -f $DATA/.complete ]]; then
    log "reusing $DATA"
    return
  fi
  log "generating SF $SF with CALL dbgen and exporting to $DATA"
  rm -rf "$DATA"
  "$BENCH" --sf "$SF" --export "$DATA" >"$WORK/export.log"
  touch "$DATA/.complete"
}

# --- Helpers shared by the SQLite and PostgreSQL runners ------------------------

# Prints one result line like the other runners: name, cold, median of the warm
# runs (upper middle, as grizzly-tpch-bench), rows, status. $3: warm times.
result_line() {
  local name=$1 cold=$2 warm=$3 rows=$4 status=$5 median
  if [[ -n $warm ]]; then
    median=$(tr ' ' '\n' <<<"$warm" | grep . | sort -g | awk '{ t[NR] = $1 } END { print t[int(NR / 2) + 1] }')
  else
    median=$cold
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$cold" "$median" "$rows" "$status"
}

# Rows of a CSV answer with a header line (TPC-H values have no line breaks).
# SQLite writes no header for an empty result, hence the floor at 0.
csv_rows() { local lines; lines=$(wc -l <"$1"); echo $(( lines > 0 ? lines - 1 : 0 )); }

# --- 4a. Grizzly ----------------------------------------------------------------

# One process per mode runs all 22 queries. If the process dies (a crash, or a
# statement that ignored the interrupt: exit 124), the query it was on is
# recorded and the next process resumes after it (--first).
run_grizzly() {
  local mode=$1 threads=$2 engine=$3 first=1 rc last
  local out=$RUN/$engine.tsv
  : >"$out"
  while [[ $first -le 22 ]]; do
    rc=0
    "$BENCH" --data "$DATA" --schema "$SCHEMA" --queries "$QUERIES" --mode "$mode" --threads "$threads" \
      --runs "$RUNS" --timeout "$TIMEOUT" --results "$RUN/results/$engine" --first "$first" \
      >"$RUN/grizzly.part" 2>>"$RUN/$engine.log" || rc=$?
    if ! grep -q '^#load' "$RUN/grizzly.part"; then
      echo "run.sh: $engine could not load the data (exit $rc), see $RUN/$engine.log" >&2
      return 1
    fi
    if [[ -s $out ]]; then grep -v '^#load' "$RUN/grizzly.part" >>"$out" || true; else cat "$RUN/grizzly.part" >>"$out"; fi
    if [[ $rc -eq 0 ]]; then break; fi
    last=$(grep '^q' "$out" | tail -1 | cut -c2-3 || true)
    first=$(( 10#${last:-0} + 1 ))
    if [[ $first -gt 22 ]]; then break; fi
    if [[ $rc -eq 124 ]]; then
      result_line "$(printf 'q%02d' "$first")" "$TIMEOUT" "" 0 timeout >>"$out"
    else
      result_line "$(printf 'q%02d' "$first")" 0 "" 0 "crash (exit $rc)" >>"$out"
    fi
    log "$engine: q$first ended the process (exit $rc); resuming after it"
    first=$((first + 1))
  done
  rm -f "$RUN/grizzly.part"
}

# --- 4b. DuckDB -----------------------------------------------------------------

run_duckdb() {
  local threads=$1 engine=$2
  node "$HERE/duckdb_runner.mjs" --data "$DATA" --schema "$SCHEMA" --queries "$QUERIES" --threads "$threads" \
    --runs "$RUNS" --timeout "$TIMEOUT" --results "$RUN/results/$engine" >"$RUN/$engine.tsv" 2>"$RUN/$engine.log" ||
    { tail -20 "$RUN/$engine.log" >&2; echo "run.sh: the DuckDB runner failed" >&2; return 1; }
}

# --- 4c. SQLite -----------------------------------------------------------------

# A database file per scale factor, loaded once. SQLite has no DATE type; the
# export writes ISO dates, which its date functions and comparisons expect.
load_sqlite() {
  local db=$WORK/sqlite/tpch.db start
  if [[ -f $WORK/sqlite/.loaded ]]; then
    echo -e "#load\t$(cat "$WORK/sqlite/.loaded")"
    return
  fi
  log "loading SQLite"
  rm -rf "$WORK/sqlite" && mkdir -p "$WORK/sqlite"
  start=$(date +%s.%N)
  {
    echo "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
    cat "$SCHEMA"
    echo ".mode csv"
    echo ".separator |"
    for t in "${TABLES[@]}"; do echo ".import '$DATA/$t.tbl' $t"; done
    echo "ANALYZE;"
  } | sqlite3 -bail "$db" >/dev/null
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f\n", e - s }' >"$WORK/sqlite/.loaded"
  echo -e "#load\t$(cat "$WORK/sqlite/.loaded")"
}

# Each run is its own sqlite3 process, so `timeout` bounds every run; the time is
# SQLite's own (.timer), without process start. SQLite runs on one thread.
run_sqlite() {
  local db=$WORK/sqlite/tpch.db res=$RUN/results/sqlite name cold warm rows status rc seconds output
  mkdir -p "$res"
  load_sqlite >"$RUN/sqlite.tsv"
  for q in $(seq 1 22); do
    name=$(printf 'q%02d' "$q") cold="" warm="" rows=0 status=ok
    for run in $(seq 0 "$RUNS"); do
      output=/dev/null
      [[ $run -eq 0 ]] && output=$res/$name.csv
      rc=0
      printf '.headers on\n.mode csv\n.output %s\n.timer on\n%s\n' "$output" "$(cat "$QUERIES_SQLITE/$name.sql")" |
        timeout "$TIMEOUT" sqlite3 -bail "$db" >"$RUN/sqlite.out" 2>"$RUN/sqlite.err" || rc=$?
      if [[ $rc -eq 124 ]]; then
        status=timeout seconds=$TIMEOUT
      elif [[ $rc -ne 0 ]]; then
        status="error: $(head -1 "$RUN/sqlite.err")" seconds=0
      else
        seconds=$(sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p' "$RUN/sqlite.out" | tail -1)
      fi
      if [[ $run -eq 0 ]]; then cold=$seconds; else warm+=" $seconds"; fi
      [[ $status == ok ]] || break
    done
    [[ $status == ok ]] && rows=$(csv_rows "$res/$name.csv")
    [[ $status == ok ]] || rm -f "$res/$name.csv"
    result_line "$name" "$cold" "$warm" "$rows" "$status" >>"$RUN/sqlite.tsv"
  done
  rm -f "$RUN/sqlite.out" "$RUN/sqlite.err"
}

# --- 4d. PostgreSQL -------------------------------------------------------------

# A private cluster in the work folder, created and loaded once per scale factor,
# started for this run on a free port of 127.0.0.1 only and stopped on exit
# (including errors and Ctrl-C, via the EXIT trap). PostgreSQL refuses to run as
# root, so as root the cluster belongs to the postgres user.
PG_DIR=$WORK/postgres
PG_DATA=$PG_DIR/data
PG_STARTED=0
PG_PORT=""
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

free_port() {
  local port
  for port in $(seq 54329 54429); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "run.sh: no free port in 54329-54429" >&2
  return 1
}

pg_stop() {
  if [[ $PG_STARTED -eq 1 ]]; then
    log "stopping PostgreSQL"
    as_pg "$(pg_bindir)/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    PG_STARTED=0
  fi
}
trap pg_stop EXIT
trap 'exit 130' INT TERM

PSQL=()  # the psql command line, set once the port is known

pg_start() {
  local bin mem_mb
  bin=$(pg_bindir)
  if [[ ! -f $PG_DATA/PG_VERSION ]]; then
    log "creating a PostgreSQL cluster in $PG_DATA"
    rm -rf "$PG_DIR" && mkdir -p "$PG_DIR"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$PG_DIR"; fi
    as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$RUN/postgres-initdb.log"
  fi
  PG_PORT=$(free_port)
  # Memory for an analytical workload instead of the tiny defaults: a quarter of
  # RAM as shared buffers, generous work_mem so hash joins and sorts stay in
  # memory. Durability is off: the cluster is scratch and is reloaded if lost.
  mem_mb=$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/server.log" -w -t 300 start -o "\
    -c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories='' \
    -c shared_buffers=$((mem_mb / 4))MB -c work_mem=512MB -c effective_cache_size=$((mem_mb / 2))MB \
    -c max_worker_processes=$((THREADS + 8)) -c max_parallel_workers=$THREADS \
    -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=16GB" >/dev/null
  PG_STARTED=1
  PSQL=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres)
  export PGOPTIONS='-c client_min_messages=warning'  # no NOTICE from DROP ... IF EXISTS
  log "PostgreSQL $("$bin/postgres" --version | awk '{ print $3 }') on 127.0.0.1:$PG_PORT"
}

load_postgres() {
  local start
  if [[ -f $PG_DIR/.loaded ]]; then
    echo -e "#load\t$(cat "$PG_DIR/.loaded")"
    return
  fi
  log "loading PostgreSQL"
  start=$(date +%s.%N)
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS tpch" -c "CREATE DATABASE tpch"
  "${PSQL[@]}" -d tpch -f "$SCHEMA"
  # \copy: psql reads the files, so the server's user needs no access to them.
  for t in "${TABLES[@]}"; do "${PSQL[@]}" -d tpch -c "\\copy $t FROM '$DATA/$t.tbl' (DELIMITER '|')"; done
  # Statistics for the planner, and hint bits set now rather than in the first query.
  "${PSQL[@]}" -d tpch -c "VACUUM (FREEZE, ANALYZE)"
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f\n", e - s }' >"$PG_DIR/.loaded"
  echo -e "#load\t$(cat "$PG_DIR/.loaded")"
}

# One psql session per query: the cold run writes the answer, the warm runs go to
# /dev/null; \timing reports each run. jit_above_cost = 0 makes JIT compile every
# query, not only those the planner thinks expensive.
run_postgres() {
  local jit=$1 engine=postgres out res name script rc status rows cold warm times
  [[ $jit == on ]] && engine=postgres-jit
  out=$RUN/$engine.tsv res=$RUN/results/$engine
  mkdir -p "$res"
  load_postgres >"$out"
  for q in $(seq 1 22); do
    name=$(printf 'q%02d' "$q") script=$RUN/postgres-query.sql
    {
      echo "SET max_parallel_workers_per_gather = $((THREADS - 1));"
      if [[ $jit == on ]]; then echo "SET jit = on; SET jit_above_cost = 0;"; else echo "SET jit = off;"; fi
      echo "SET statement_timeout = '${TIMEOUT}s';"
      echo '\pset format csv'
      echo "\\o $res/$name.csv"
      echo '\timing on'
      cat "$QUERIES/$name.sql"
      echo '\o /dev/null'
      for _ in $(seq 1 "$RUNS"); do cat "$QUERIES/$name.sql"; done
    } >"$script"
    rc=0
    # The outer timeout only guards against a hung client; statement_timeout is the limit.
    timeout $(( (RUNS + 1) * (TIMEOUT + 30) )) "${PSQL[@]}" -d tpch -f "$script" \
      >"$RUN/postgres.out" 2>"$RUN/postgres.err" || rc=$?
    times=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$RUN/postgres.out" | awk '{ printf "%.6f ", $1 / 1000 }')
    read -r cold warm <<<"$times" || true
    status=ok rows=0
    if [[ $rc -ne 0 ]]; then
      if grep -q 'statement timeout' "$RUN/postgres.err" || [[ $rc -eq 124 ]]; then status=timeout; else
        status="error: $(grep -m1 ERROR "$RUN/postgres.err" || head -1 "$RUN/postgres.err")"; fi
      [[ -n $cold ]] || cold=$TIMEOUT
      rm -f "$res/$name.csv"
    else
      rows=$(csv_rows "$res/$name.csv")
    fi
    result_line "$name" "$cold" "$warm" "$rows" "$status" >>"$out"
  done
  rm -f "$RUN/postgres.out" "$RUN/postgres.err" "$script"
}

# --- Main -----------------------------------------------------------------------

started=$(date +%s)
install_packages
has_engine duckdb && install_duckdb
build_grizzly
mkdir -p "$WORK" "$RESULTS_DIR"
generate_data
rm -rf "$RUN" && mkdir -p "$RUN/results"

# Versions for the report, one file per engine.
grizzly_version="Grizzly $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if ! git -C "$REPO" diff --quiet HEAD 2>/dev/null; then grizzly_version+=" (uncommitted changes)"; fi

report_engines=()
if has_engine duckdb; then
  log "DuckDB"
  run_duckdb "$THREADS" duckdb
  node -p "'DuckDB ' + require('$HERE/node_modules/@duckdb/node-api/package.json').version" >"$RUN/duckdb.version"
  report_engines+=(duckdb)
  if [[ $SCALING -eq 1 && $THREADS -gt 1 ]]; then
    log "DuckDB, one thread"
    run_duckdb 1 duckdb-1t
    echo "$(cat "$RUN/duckdb.version"), threads = 1" >"$RUN/duckdb-1t.version"
    report_engines+=(duckdb-1t)
  fi
fi
if has_engine grizzly; then
  for mode in interpret jit adaptive; do
    log "Grizzly, $mode"
    run_grizzly "$mode" "$THREADS" "grizzly-$mode"
    echo "$grizzly_version, execution_mode = $mode" >"$RUN/grizzly-$mode.version"
    report_engines+=("grizzly-$mode")
  done
  if [[ $SCALING -eq 1 && $THREADS -gt 1 ]]; then
    log "Grizzly, adaptive, one thread"
    run_grizzly adaptive 1 grizzly-adaptive-1t
    echo "$grizzly_version, execution_mode = adaptive, threads = 1" >"$RUN/grizzly-adaptive-1t.version"
    report_engines+=(grizzly-adaptive-1t)
  fi
fi
if has_engine sqlite; then
  log "SQLite"
  run_sqlite
  echo "SQLite $(sqlite3 --version | awk '{ print $1 }') (one thread)" >"$RUN/sqlite.version"
  report_engines+=(sqlite)
fi
if has_engine postgres; then
  pg_start
  for jit in off on; do
    log "PostgreSQL, JIT $jit"
    run_postgres "$jit"
  done
  pg_version=$("$(pg_bindir)/postgres" --version | awk '{ print $3 }')
  echo "PostgreSQL $pg_version, jit = off" >"$RUN/postgres.version"
  echo "PostgreSQL $pg_version, jit = on, jit_above_cost = 0" >"$RUN/postgres-jit.version"
  report_engines+=(postgres postgres-jit)
  pg_stop
fi

log "writing the report"
node "$HERE/report.mjs" --run "$RUN" --engines "$(IFS=,; echo "${report_engines[*]}")" --sf "$SF" \
  --threads "$THREADS" --runs "$RUNS" --timeout "$TIMEOUT" --scaling "$SCALING" \
  --out "$RESULTS_DIR/tpch_sf${SF}_threads${THREADS}"
log "done in $(( $(date +%s) - started )) s"
