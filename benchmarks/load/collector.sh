#!/usr/bin/env bash
# The fully instrumented sample under load while its trace collector is live, dead (nothing
# listens on the port) or stalled (accepts connections and never answers). Requests must not
# fail and their latency must not follow the collector's; the endpoint must say what was lost,
# and the log must stay quiet. Loopback only, each run bounded in time. Never run in CI.
set -euo pipefail
source "$(dirname "$0")/common.sh"
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
WARMUP=${WARMUP:-10s}
DURATION=${DURATION:-30s}

prerequisites
# Set first, with defaults, so that whatever has started is stopped however the script ends.
trap 'stop_pid "${APP_PID:-}"; stop_pid "${ZIPKIN_PID:-}"; stop_pid "${STALLED_PID:-}"' EXIT
start_zipkin
STALLED_PORT=$(free_port)
python3 - "$STALLED_PORT" <<'PY' &
import socket, sys
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen(1024)
held = []
while True:  # accept and never answer
    held.append(server.accept()[0])
PY
STALLED_PID=$!
DEAD_PORT=$(free_port)

run() {
  local name=$1 endpoint=$2 port
  port=$(free_port)
  start_app "$name" "$port" -- --spring.profiles.active=zipkin \
    --management.tracing.export.zipkin.endpoint="$endpoint"
  local url="http://127.0.0.1:$port/checkout"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$(dirname "$0")/checkout.lua" "$url" > /dev/null
  local before
  before=$(wc -l < "$WORK/$name.log")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$(dirname "$0")/checkout.lua" "$url" > "$WORK/$name.wrk"
  local exporter lines
  exporter=$(curl -s "http://127.0.0.1:$port/actuator/telemetry" | python3 -c \
    'import json,sys; e=json.load(sys.stdin)["exporter"]; print("exported=%s failed=%s dropped=%s" % (e["exported"], e["failed"], e["dropped"]))')
  # Log lines written during the measured run, other than the sample's own INFO lines per order.
  lines=$(tail -n +"$((before + 1))" "$WORK/$name.log" | grep -v -c -e 'Fulfilling order' -e 'Notified customer' || true)
  stop_pid "$APP_PID"
  APP_PID=
  echo "$name $(grep '^RESULT' "$WORK/$name.wrk") $exporter log_lines=$lines"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -n 1); wrk -t$THREADS -c$CONNECTIONS -d$DURATION after $WARMUP warm-up"
# In this shell, not in a pipeline's subshell, so that the trap sees the application to stop.
: > "$WORK/collector.txt"
for target in "live $ZIPKIN_PORT" "dead $DEAD_PORT" "stalled $STALLED_PORT"; do
  set -- $target
  run "$1" "http://127.0.0.1:$2/api/v2/spans" > "$WORK/run.txt"
  tee -a "$WORK/collector.txt" < "$WORK/run.txt"
done

echo
python3 - "$WORK/collector.txt" <<'PY'
import sys
# Span counts are the endpoint's totals since start-up, the warm-up included; the other columns
# are of the measured run.
print("| collector | req/s | p50 ms | p99 ms | failed requests | spans exported | export failed | dropped | other log lines |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) < 2 or parts[1] != "RESULT":
        continue
    v = dict(kv.split("=") for kv in parts[2:])
    print(f"| {parts[0]} | {float(v['rps']):,.0f} | {float(v['p50_ms']):.2f} | {float(v['p99_ms']):.2f} | "
          f"{int(v['errors']) + int(v['non2xx'])} | {int(v['exported']):,} | {int(v['failed']):,} | {int(v['dropped']):,} | {v['log_lines']} |")
PY
for name in dead stalled; do
  echo
  echo "$name: exporter log lines"
  grep -e 'SpanExportStatistics' -e 'Failed to export' "$WORK/$name.log" | cut -c1-400 || true
done
