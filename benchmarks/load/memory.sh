#!/usr/bin/env bash
# Heap after a full GC while the fully instrumented sample takes 100k+ checkouts: it must stay flat
# (the event catalog, counters, meters and span buffers are bounded). Loopback only, bounded in time.
set -euo pipefail
source "$(dirname "$0")/common.sh"
TARGET=${TARGET:-100000}
BATCH=${BATCH:-10s}

prerequisites
start_zipkin
trap 'stop_pid ${APP_PID:-}; stop_pid $ZIPKIN_PID' EXIT
port=$(free_port)
start_app memory "$port" -- --spring.profiles.active=zipkin \
  --management.tracing.export.zipkin.endpoint="http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans"

heap_after_gc() {
  jcmd "$APP_PID" GC.run > /dev/null
  sleep 1
  jcmd "$APP_PID" GC.heap_info | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -n 1
}

total=0
echo "| checkouts | heap used after full GC (MiB) |"
echo "| --- | --- |"
echo "| 0 | $(( $(heap_after_gc) / 1024 )) |"
while [ "$total" -lt "$TARGET" ]; do
  n=$(wrk -t2 -c16 -d"$BATCH" -s "$(dirname "$0")/checkout.lua" "http://127.0.0.1:$port/checkout" \
      | sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p')
  total=$((total + n))
  echo "| $total | $(( $(heap_after_gc) / 1024 )) |"
done
curl -s "http://127.0.0.1:$port/actuator/telemetry" | python3 -c \
  'import json,sys; d=json.load(sys.stdin); print("catalog:", d["diagnostics"]["eventCatalog"], "metrics:", [(m["name"], m["seriesInUse"]) for m in d["metrics"]])'
