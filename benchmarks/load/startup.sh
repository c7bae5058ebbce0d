#!/usr/bin/env bash
# Start-up time of the sample, the median of N starts (5 by default) of each configuration, with no
# load: the baseline of run-load.sh, Boot's own tracing and Zipkin export without the starter, the
# starter fully on, and the OpenTelemetry Java agent. Boot's "process running for" figure. The
# Zipkin endpoint is a closed port: start-up sends nothing. Never run in CI.
set -euo pipefail
source "$(dirname "$0")/common.sh"
N=${N:-5}

prerequisites
trap 'stop_pid ${APP_PID:-}' EXIT
ZIPKIN=(--spring.profiles.active=zipkin --management.tracing.export.zipkin.endpoint=http://127.0.0.1:9/api/v2/spans)

measure() {
  local name=$1 values=() port
  shift
  for _ in $(seq 1 "$N"); do
    port=$(free_port)
    start_app "startup-$name" "$port" "$@"
    values+=("$(startup_seconds "startup-$name")")
    stop_pid "$APP_PID"
    APP_PID=
  done
  printf '%s %s\n' "$name" "${values[*]}"
}

echo "machine: $(nproc) cores; $(java -version 2>&1 | head -n 1); $N starts each"
{
  measure baseline -- "${BASELINE[@]}"
  measure boot-tracing -- "${ZIPKIN[@]}" --telemetry.enabled=false
  measure telemetry -- "${ZIPKIN[@]}"
  mapfile -t agent < <(agent_flags http://127.0.0.1:9/api/v2/spans)
  measure agent "${agent[@]}" -- "${BASELINE[@]}"
} > "$WORK/startup.txt"
python3 - "$WORK/startup.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, *values = line.split()
    rows[name] = [float(v) for v in values]
base = statistics.median(rows["baseline"])
print("| configuration | start-up s (median) | added to the baseline s | every start s |")
print("| --- | --- | --- | --- |")
for name, values in rows.items():
    median = statistics.median(values)
    print(f"| {name} | {median:.2f} | {median - base:+.2f} | {', '.join(f'{v:.2f}' for v in values)} |")
added_t = statistics.median(rows["telemetry"]) - base
added_a = statistics.median(rows["agent"]) - base
share = f"{100 * added_t / added_a:.0f}%" if added_a > 0 else "? (the agent added nothing)"
print(f"\nthe starter adds {share} of the start-up time the agent adds (target <= 25%)")
PY
