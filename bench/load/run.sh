#!/usr/bin/env bash
# The load benchmark, one command: bench/load/run.sh
#
# Starts on loopback the fake upstream, a plain nginx reverse proxy, a bare YARP forwarder and Moat (the host
# `moat serve` builds, seeded with one unlimited organisation and key), drives each with wrk, and writes the
# medians to docs/benchmarks.md between the load-benchmark markers. Everything it starts is stopped on exit.
#
# Knobs (environment): DURATION=15s LIGHT_DURATION=10s WARMUP=5s REPEATS=3 THREADS=2 CONNECTIONS=32 PORT_BASE=18180
#                      OUTPUT=docs/benchmarks.md (the file whose marked section is replaced)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

DURATION="${DURATION:-15s}"
WARMUP="${WARMUP:-5s}"
LIGHT_DURATION="${LIGHT_DURATION:-10s}"
REPEATS="${REPEATS:-3}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
PORT_BASE="${PORT_BASE:-18180}"
OUTPUT="${OUTPUT:-$root/docs/benchmarks.md}"

port_upstream=$((PORT_BASE + 1))
port_nginx=$((PORT_BASE + 2))
port_yarp=$((PORT_BASE + 3))
port_moat=$((PORT_BASE + 4))
port_moat_default=$((PORT_BASE + 5))
port_moat_memory=$((PORT_BASE + 6))
port_moat_request=$((PORT_BASE + 7))

out="$root/.build/bench"
work="$(mktemp -d "${TMPDIR:-/tmp}/moat-load.XXXXXX")"
results="$work/results.tsv"
pids=()

log() { printf '[load] %s\n' "$*" >&2; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ $status -ne 0 ]]; then
    log "failed (exit $status); logs kept in $work"
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT INT TERM

# --- tools --------------------------------------------------------------------------------------------------
nginx_bin="$(command -v nginx || true)"
[[ -z "$nginx_bin" && -x /usr/sbin/nginx ]] && nginx_bin=/usr/sbin/nginx
if ! command -v wrk >/dev/null || [[ -z "$nginx_bin" ]]; then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  log "installing wrk and nginx"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk nginx >/dev/null
  nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
fi

for port in "$port_upstream" "$port_nginx" "$port_yarp" "$port_moat" "$port_moat_default" "$port_moat_memory" "$port_moat_request"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    log "port $port is already in use; choose another PORT_BASE"
    exit 1
  fi
done

# --- build --------------------------------------------------------------------------------------------------
log "building Release into $out"
dotnet build "$root/src/Moat.Cli/Moat.Cli.csproj" -c Release -o "$out/moat" --nologo -v quiet -clp:ErrorsOnly
dotnet build "$root/bench/Moat.LoadHarness/Moat.LoadHarness.csproj" -c Release -o "$out/harness" --nologo -v quiet -clp:ErrorsOnly
dotnet build "$root/bench/Moat.YarpBaseline/Moat.YarpBaseline.csproj" -c Release -o "$out/yarp" --nologo -v quiet -clp:ErrorsOnly

# --- servers ------------------------------------------------------------------------------------------------
wait_http() {
  local url="$1" name="$2"
  for _ in $(seq 1 120); do
    if curl -s -o /dev/null --max-time 2 "$url"; then
      return 0
    fi
    sleep 0.5
  done
  log "$name did not answer at $url"
  exit 1
}

log "starting the fake upstream on :$port_upstream"
dotnet "$out/moat/moat.dll" fake-upstream --urls "http://127.0.0.1:$port_upstream" >"$work/upstream.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$port_upstream/v1/models" "the fake upstream"

log "starting nginx on :$port_nginx"
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  upstream fake_upstream {
    server 127.0.0.1:$port_upstream;
    keepalive 128;
  }
  server {
    listen 127.0.0.1:$port_nginx;
    location / {
      proxy_pass http://fake_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" >"$work/nginx/stdout.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$port_nginx/v1/models" "nginx"

log "starting the YARP forwarder on :$port_yarp"
dotnet "$out/yarp/Moat.YarpBaseline.dll" --urls "http://127.0.0.1:$port_yarp" --upstream "http://127.0.0.1:$port_upstream" \
  >"$work/yarp.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$port_yarp/v1/models" "the YARP forwarder"

# Two Moat processes, both the host `moat serve` builds: "Moat" with every feature on (ledger, provenance, detection),
# and "Moat, detection off" (Moat:Detection:Enabled=false) to show what detection costs on the request path.
# /metrics needs the admin token on the public listener (docs/security.md, row 18).
bench_admin_token="moat-admin-bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
start_moat() {
  local port="$1" name="$2"
  shift 2
  log "starting $name on :$port"
  dotnet "$out/harness/Moat.LoadHarness.dll" --urls "http://127.0.0.1:$port" \
    "--Moat:DataDir=$work/moat-data-$port" \
    "--Moat:Admin:Token=$bench_admin_token" \
    "--Moat:Models:0:Id=fake-model" \
    "--Moat:Models:0:Upstreams:0:BaseUrl=http://127.0.0.1:$port_upstream/v1" \
    "$@" >"$work/moat-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do
    grep -q '^MOAT_BENCH_KEY=' "$work/moat-$port.log" 2>/dev/null && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || { log "$name exited: $(tail -20 "$work/moat-$port.log")"; exit 1; }
    sleep 0.5
  done
  log "$name printed no key"
  exit 1
}
start_moat "$port_moat" "Moat"
start_moat "$port_moat_default" "Moat, detection off" "--Moat:Detection:Enabled=false"
start_moat "$port_moat_memory" "Moat, ledger in memory" "--Moat:Ledger:Durability=Memory"
# The request path with as little background work as the host allows: no detection, no provenance ingestion, the
# ledger in memory (still written to SQLite in batches). What the background work costs on a shared machine.
start_moat "$port_moat_request" "Moat, request path only" "--Moat:Ledger:Durability=Memory" "--Moat:Detection:Enabled=false" \
  "--Moat:Provenance:Ingest=false"
key="$(sed -n 's/^MOAT_BENCH_KEY=//p' "$work/moat-$port_moat.log" | head -1)"
key_default="$(sed -n 's/^MOAT_BENCH_KEY=//p' "$work/moat-$port_moat_default.log" | head -1)"
key_memory="$(sed -n 's/^MOAT_BENCH_KEY=//p' "$work/moat-$port_moat_memory.log" | head -1)"
key_request="$(sed -n 's/^MOAT_BENCH_KEY=//p' "$work/moat-$port_moat_request.log" | head -1)"
sinks="$(sed -n 's/^MOAT_BENCH_SINKS=//p' "$work/moat-$port_moat.log" | head -1)"

# One request through Moat each way must succeed before anything is measured.
check_body='{"model":"fake-model","messages":[{"role":"user","content":"ping"}]}'
for check in "$port_moat|$key" "$port_moat_default|$key_default" "$port_moat_memory|$key_memory" "$port_moat_request|$key_request"; do
  IFS='|' read -r port secret <<<"$check"
  curl -sf -o /dev/null -H "Authorization: Bearer $secret" -H 'Content-Type: application/json' \
    -d "$check_body" "http://127.0.0.1:$port/v1/chat/completions" || { log "Moat on :$port refused the check request"; exit 1; }
done

# --- load ---------------------------------------------------------------------------------------------------
# name|port|stream
targets=(
  "upstream (direct)|$port_upstream|0"
  "nginx|$port_nginx|0"
  "YARP forwarder|$port_yarp|0"
  "Moat|$port_moat|0"
  "Moat, detection off|$port_moat_default|0"
  "Moat, ledger in memory|$port_moat_memory|0"
  "Moat, request path only|$port_moat_request|0"
  "upstream (direct), streaming|$port_upstream|1"
  "YARP forwarder, streaming|$port_yarp|1"
  "Moat, streaming|$port_moat|1"
)

is_moat() { [[ "$1" == "$port_moat" || "$1" == "$port_moat_default" || "$1" == "$port_moat_memory" || "$1" == "$port_moat_request" ]]; }
key_for() {
  if [[ "$1" == "$port_moat_default" ]]; then echo "$key_default"
  elif [[ "$1" == "$port_moat_memory" ]]; then echo "$key_memory"
  elif [[ "$1" == "$port_moat_request" ]]; then echo "$key_request"
  else echo "$key"; fi
}
gc_stats() { curl -s "http://127.0.0.1:$1/_bench/gc"; }
gc_field() { sed -n "s/.*$1=\\([0-9]*\\).*/\\1/p" <<<"$2"; }
ledger_depth() {
  curl -s -H "Authorization: Bearer $bench_admin_token" "http://127.0.0.1:$1/metrics" | awk '/^moat_ledger_queue_depth/ { print int($NF); found = 1 } END { if (!found) print 0 }'
}
# Waits (at most 3 minutes) until Moat's ledger writer has caught up, so its backlog does not eat the CPU of the
# next run; prints the backlog it found.
drain_ledger() {
  local depth
  depth="$(ledger_depth "$1")"
  for _ in $(seq 1 180); do
    [[ "$(ledger_depth "$1")" -eq 0 ]] && break
    sleep 1
  done
  echo "$depth"
}

run_wrk() {
  local port="$1" stream="$2" duration="$3"
  BENCH_KEY="$(key_for "$port")" BENCH_STREAM="$stream" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency \
    -s "$here/chat.lua" "http://127.0.0.1:$port" | sed -n 's/^RESULT //p'
}

printf 'target\trepeat\trps\tp50_us\tp90_us\tp99_us\tnon2xx\tsocket_errors\talloc_per_request\tledger_backlog\n' >"$results"
for target in "${targets[@]}"; do
  IFS='|' read -r name port stream <<<"$target"
  log "warming up $name ($WARMUP)"
  run_wrk "$port" "$stream" "$WARMUP" >/dev/null
  if is_moat "$port"; then drain_ledger "$port" >/dev/null; fi
done
# Repeats go round the targets, so a burst of noise from other work on the machine hits one run of each, not all
# runs of one.
for repeat in $(seq 1 "$REPEATS"); do
  for target in "${targets[@]}"; do
    IFS='|' read -r name port stream <<<"$target"
    before=""
    is_moat "$port" && before="$(gc_stats "$port")"
    line="$(run_wrk "$port" "$stream" "$DURATION")"
    alloc="-"
    backlog="-"
    requests="$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")"
    if [[ -n "$before" && "${requests:-0}" -gt 0 ]]; then
      after="$(gc_stats "$port")"
      alloc=$(( ($(gc_field allocated "$after") - $(gc_field allocated "$before")) / requests ))
      # GC.GetTotalAllocatedBytes is not always monotonic under the server GC; a negative delta is no measurement.
      [[ "$alloc" -lt 0 ]] && alloc="-"
      backlog="$(drain_ledger "$port")"
    fi
    field() { sed -n "s/.*$1=\\([0-9.]*\\).*/\\1/p" <<<"$line"; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$repeat" "$(field rps)" "$(field p50_us)" "$(field p90_us)" \
      "$(field p99_us)" "$(field non2xx)" "$(field socket_errors)" "$alloc" "$backlog" >>"$results"
    log "$name #$repeat: $line alloc/request=$alloc ledger_backlog=$backlog"
    sleep 1
  done
done

# --- light load -----------------------------------------------------------------------------------------------
# One connection: the CPU is not saturated, so the numbers are what each proxy adds to a single request, and what the
# background work (ledger, provenance, detection) costs the request path itself rather than the machine's capacity.
light="$work/light.tsv"
printf 'target\trepeat\tp50_us\tp90_us\tp99_us\trps\n' >"$light"
light_targets=("nginx|$port_nginx" "YARP forwarder|$port_yarp" "Moat|$port_moat" "Moat, detection off|$port_moat_default" "Moat, ledger in memory|$port_moat_memory")
for repeat in $(seq 1 "$REPEATS"); do
  for target in "${light_targets[@]}"; do
    IFS='|' read -r name port <<<"$target"
    line="$(BENCH_KEY="$(key_for "$port")" BENCH_STREAM=0 wrk -t1 -c1 -d"$LIGHT_DURATION" --latency -s "$here/chat.lua" \
      "http://127.0.0.1:$port" | sed -n 's/^RESULT //p')"
    lfield() { sed -n "s/.*$1=\\([0-9.]*\\).*/\\1/p" <<<"$line"; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$repeat" "$(lfield p50_us)" "$(lfield p90_us)" "$(lfield p99_us)" "$(lfield rps)" >>"$light"
    log "light load, $name #$repeat: $line"
    if is_moat "$port"; then drain_ledger "$port" >/dev/null; fi
  done
done

# --- report -------------------------------------------------------------------------------------------------
# Median of one column for one target (lower middle value for an even count).
median() {
  awk -F'\t' -v t="$1" -v c="$2" 'NR > 1 && $1 == t && $c != "-" { print $c }' "$results" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print v[int((NR + 1) / 2)] }'
}
sum_col() { awk -F'\t' -v t="$1" -v c="$2" 'NR > 1 && $1 == t { s += $c } END { print s + 0 }' "$results"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
delta_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.2f ms", (a - b) / 1000 }'; }

table="$work/table.md"
{
  echo "| target | requests/s | p50 | p90 | p99 | errors | allocated / request | ledger backlog at end |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for target in "${targets[@]}"; do
    IFS='|' read -r name _ _ <<<"$target"
    errors=$(( $(sum_col "$name" 7) + $(sum_col "$name" 8) ))
    alloc="$(median "$name" 9)"
    [[ "$alloc" != "-" ]] && alloc="$(awk -v b="$alloc" 'BEGIN { printf "%.1f KB", b / 1024 }')"
    printf '| %s | %.0f | %s ms | %s ms | %s ms | %s | %s | %s |\n' "$name" "$(median "$name" 3)" \
      "$(ms "$(median "$name" 4)")" "$(ms "$(median "$name" 5)")" "$(ms "$(median "$name" 6)")" "$errors" "$alloc" \
      "$(median "$name" 10)"
  done
  echo
  moat_rps="$(median "Moat" 3)"; moat_p50="$(median "Moat" 4)"
  yarp_rps="$(median "YARP forwarder" 3)"; yarp_p50="$(median "YARP forwarder" 4)"
  nginx_rps="$(median "nginx" 3)"; nginx_p50="$(median "nginx" 4)"
  smoat_rps="$(median "Moat, streaming" 3)"; smoat_p50="$(median "Moat, streaming" 4)"
  syarp_rps="$(median "YARP forwarder, streaming" 3)"; syarp_p50="$(median "YARP forwarder, streaming" 4)"
  echo "| comparison (medians) | value |"
  echo "|---|---:|"
  echo "| Moat / nginx throughput | $(ratio "$moat_rps" "$nginx_rps") |"
  echo "| Moat / YARP throughput | $(ratio "$moat_rps" "$yarp_rps") |"
  echo "| Moat − nginx added median latency | $(delta_ms "$moat_p50" "$nginx_p50") |"
  echo "| Moat − YARP added median latency | $(delta_ms "$moat_p50" "$yarp_p50") |"
  echo "| Moat with detection / Moat without detection, throughput | $(ratio "$moat_rps" "$(median "Moat, detection off" 3)") |"
  echo "| Moat with detection − without, added median latency | $(delta_ms "$moat_p50" "$(median "Moat, detection off" 4)") |"
  echo "| Moat (WAL ledger, the default) / Moat (ledger in memory), throughput | $(ratio "$moat_rps" "$(median "Moat, ledger in memory" 3)") |"
  echo "| Moat WAL − memory ledger, added median / p99 latency | $(delta_ms "$moat_p50" "$(median "Moat, ledger in memory" 4)") / $(delta_ms "$(median "Moat" 6)" "$(median "Moat, ledger in memory" 6)") |"
  echo "| Moat, request path only / YARP throughput | $(ratio "$(median "Moat, request path only" 3)" "$yarp_rps") |"
  echo "| Moat / YARP throughput, streaming | $(ratio "$smoat_rps" "$syarp_rps") |"
  echo "| Moat − YARP added median latency, streaming | $(delta_ms "$smoat_p50" "$syarp_p50") |"
  echo
  lmedian() {
    awk -F'\t' -v t="$1" -v c="$2" 'NR > 1 && $1 == t && $c != "" { print $c }' "$light" | sort -g |
      awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print v[int((NR + 1) / 2)] }'
  }
  echo "Light load (one connection, \`wrk -t1 -c1 -d$LIGHT_DURATION\`, medians of $REPEATS runs): what each hop adds to one request."
  echo
  echo "| target | p50 | p90 | p99 | requests/s |"
  echo "|---|---:|---:|---:|---:|"
  for target in "${light_targets[@]}"; do
    IFS='|' read -r name _ <<<"$target"
    printf '| %s | %s ms | %s ms | %s ms | %.0f |\n' "$name" "$(ms "$(lmedian "$name" 3)")" "$(ms "$(lmedian "$name" 4)")" \
      "$(ms "$(lmedian "$name" 5)")" "$(lmedian "$name" 6)"
  done
  echo
  echo "| comparison at light load (medians) | value |"
  echo "|---|---:|"
  echo "| Moat − YARP added median latency | $(delta_ms "$(lmedian "Moat" 3)" "$(lmedian "YARP forwarder" 3)") |"
  echo "| Moat − nginx added median latency | $(delta_ms "$(lmedian "Moat" 3)" "$(lmedian "nginx" 3)") |"
  echo "| Moat with detection − without, added median latency | $(delta_ms "$(lmedian "Moat" 3)" "$(lmedian "Moat, detection off" 3)") |"
  echo "| Moat WAL − memory ledger, added median / p99 latency | $(delta_ms "$(lmedian "Moat" 3)" "$(lmedian "Moat, ledger in memory" 3)") / $(delta_ms "$(lmedian "Moat" 5)" "$(lmedian "Moat, ledger in memory" 5)") |"
  echo "| Moat p99 / YARP p99 | $(ratio "$(lmedian "Moat" 5)" "$(lmedian "YARP forwarder" 5)") |"
  echo
  dirty=""
  [[ -n "$(git -C "$root" status --porcelain -- src 2>/dev/null)" ]] && dirty=" plus uncommitted changes under src/"
  echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$dirty" \
    "— wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $REPEATS runs per target (medians; $WARMUP warm-up each)," \
    "one chat completion body (~300 bytes) answered by the fake upstream."
  echo "Machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
    "$(uname -sr), .NET SDK $(dotnet --version), $("$nginx_bin" -v 2>&1 | sed 's/.*version: //'), $(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }')."
  echo "Sinks registered by the Moat host in this build: ${sinks:-unknown} (detection features, provenance outputs)."
  echo
  echo "Raw runs (target, repeat, requests/s, p50/p90/p99 µs, non-2xx, socket errors, bytes allocated per request by the"
  echo "whole Moat process, ledger records still queued when wrk stopped):"
  echo
  echo '```'
  cat "$results"
  echo '```'
} >"$table"

begin='<!-- load-benchmark:begin -->'
end='<!-- load-benchmark:end -->'
mkdir -p "$(dirname "$OUTPUT")"
if [[ -f "$OUTPUT" ]] && grep -qF "$begin" "$OUTPUT"; then
  awk -v begin="$begin" -v end="$end" -v table="$table" '
    $0 == begin { print; while ((getline line < table) > 0) print line; skip = 1; next }
    $0 == end { skip = 0 }
    !skip { print }' "$OUTPUT" >"$work/out.md"
  cp "$work/out.md" "$OUTPUT"
else
  { echo "# Moat benchmarks"; echo; echo "## Load benchmark"; echo; echo "$begin"; cat "$table"; echo "$end"; } >>"$OUTPUT"
fi
cat "$table"
log "wrote $OUTPUT"
