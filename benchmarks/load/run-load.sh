#!/usr/bin/env bash
# The sample under load three ways, on this machine, loopback only, each run bounded in time:
#   baseline   the starter disabled and Boot's observations off
#   telemetry  the starter fully on: sampling 1.0, exporting to a live Zipkin
#   agent      the OpenTelemetry Java agent instead of the starter, exporting to the same Zipkin
# Prints throughput, p50/p99 latency and start-up time for each. Never run in CI.
set -euo pipefail
source "$(dirname "$0")/common.sh"
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
WARMUP=${WARMUP:-15s}
DURATION=${DURATION:-30s}

prerequisites
start_zipkin
trap 'stop_pid ${APP_PID:-}; stop_pid $ZIPKIN_PID' EXIT
ZIPKIN="http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans"
BASELINE=(--telemetry.enabled=false --management.observations.enable.all=false --management.tracing.export.enabled=false)

run() {
  local name=$1
  shift
  local port
  port=$(free_port)
  start_app "$name" "$port" "$@"
  local url="http://127.0.0.1:$port/checkout"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$(dirname "$0")/checkout.lua" "$url" > /dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$(dirname "$0")/checkout.lua" "$url" > "$WORK/$name.wrk"
  local result
  result=$(grep '^RESULT' "$WORK/$name.wrk")
  stop_pid "$APP_PID"
  APP_PID=
  echo "$name $(startup_seconds "$name") $result"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -n 1); wrk -t$THREADS -c$CONNECTIONS -d$DURATION after $WARMUP warm-up"
{
  run baseline -- "${BASELINE[@]}"
  run telemetry -- --spring.profiles.active=zipkin --management.tracing.export.zipkin.endpoint="$ZIPKIN"
  run agent -javaagent:"$AGENT_JAR" -Dotel.service.name=sample-checkout-app-agent -Dotel.traces.exporter=zipkin \
    -Dotel.exporter.zipkin.endpoint="$ZIPKIN" -Dotel.metrics.exporter=none -Dotel.logs.exporter=none -- "${BASELINE[@]}"
} | tee "$WORK/results.txt"

echo
for service in sample-checkout-app sample-checkout-app-agent; do
  spans=$(curl -s --max-time 20 "http://127.0.0.1:$ZIPKIN_PORT/api/v2/traces?serviceName=$service&limit=1" \
    | python3 -c 'import json,sys; t=json.load(sys.stdin); print(len(t[0]) if t else 0)' 2>/dev/null || echo "?")
  echo "spans in one $service trace in Zipkin: $spans"
done
python3 - "$WORK/results.txt" <<'PY'
import re, sys
rows = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) < 3 or not parts[2].startswith("RESULT"):
        continue
    values = dict(kv.split("=") for kv in parts[3:])
    rows[parts[0]] = (float(parts[1]), float(values["rps"]), float(values["p50_ms"]), float(values["p99_ms"]),
                      int(values["errors"]) + int(values["non2xx"]))
base = rows["baseline"]
print("| configuration | req/s | % of baseline | p50 ms | p99 ms | start-up s | failed |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for name, (startup, rps, p50, p99, failed) in rows.items():
    print(f"| {name} | {rps:,.0f} | {100 * rps / base[1]:.0f}% | {p50:.2f} | {p99:.2f} | {startup:.2f} | {failed} |")
t, a = rows["telemetry"], rows["agent"]
print()
print(f"telemetry / agent throughput: {t[1] / a[1]:.2f}x (target >= 1.0, aim 1.2)")
print(f"telemetry / baseline throughput: {100 * t[1] / base[1]:.0f}% (target >= 75%)")
added_t, added_a = t[0] - base[0], a[0] - base[0]
print(f"start-up added: telemetry {added_t:+.2f} s, agent {added_a:+.2f} s; "
      f"telemetry adds {100 * added_t / added_a:.0f}% of what the agent adds (target <= 25%)")
PY
