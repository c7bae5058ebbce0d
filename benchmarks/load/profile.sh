#!/usr/bin/env bash
# One configuration of the sample under wrk load, profiled with async-profiler after the warm-up:
#   CONFIG=telemetry|boot-tracing|agent|baseline (as in run-load.sh), EVENT=cpu|alloc, SAMPLING (default 1.0),
#   WARM (default 60s) of load first, then DURATION (default 30s) profiled.
# Prints what each checkout cost (ms of CPU or KiB allocated), attributed to the innermost frame that
# is not the JDK's (so JDK work counts for the library that asked for it), by package, and the
# collapsed stacks' file for flame graphs or a closer look. Never run in CI.
set -euo pipefail
source "$(dirname "$0")/common.sh"
CONFIG=${CONFIG:-telemetry}
EVENT=${EVENT:-cpu}
WARM=${WARM:-60s}
DURATION=${DURATION:-30s}
PROFILER_VERSION=4.2
PROFILER_LIB="$ROOT/benchmarks/target/async-profiler/linux-x64/libasyncProfiler.so"

prerequisites
if [ ! -f "$PROFILER_LIB" ]; then
  (cd "$ROOT" && mvn -B -ntp -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack \
    -Dartifact=tools.profiler:async-profiler:$PROFILER_VERSION:jar:linux-x64 \
    -DoutputDirectory="$ROOT/benchmarks/target/async-profiler")
fi
trap 'stop_pid ${APP_PID:-}; stop_pid ${ZIPKIN_PID:-}' EXIT

start_zipkin
zipkin="http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans"
port=$(free_port)
case $CONFIG in
  baseline) start_app "$CONFIG" "$port" -- "${BASELINE[@]}" ;;
  telemetry) mapfile -t telemetry < <(telemetry_flags "$zipkin"); start_app "$CONFIG" "$port" -- "${telemetry[@]}" ;;
  boot-tracing) mapfile -t telemetry < <(telemetry_flags "$zipkin")
    start_app "$CONFIG" "$port" -- "${telemetry[@]}" --telemetry.enabled=false ;;
  agent) mapfile -t agent < <(agent_flags "$zipkin"); start_app "$CONFIG" "$port" "${agent[@]}" -- "${BASELINE[@]}" ;;
  *) echo "CONFIG must be baseline, boot-tracing, telemetry or agent" >&2; exit 1 ;;
esac
url="http://127.0.0.1:$port/checkout"
wrk -t2 -c16 -d"$WARM" -s "$(dirname "$0")/checkout.lua" "$url" > /dev/null

# async-profiler's defaults: a CPU sample per 1 ms of CPU, an allocation sample per 512 KiB.
if [ "$EVENT" = alloc ]; then command=start,event=alloc,alloc=512k; unit=524288; else command=start,event=cpu,interval=1ms; unit=1; fi
out="$WORK/$CONFIG-$EVENT-$SAMPLING.collapsed"
java "$(dirname "$0")/Attach.java" "$APP_PID" "$PROFILER_LIB" "$command"
wrk -t2 -c16 -d"$DURATION" -s "$(dirname "$0")/checkout.lua" "$url" > "$WORK/$CONFIG-$EVENT.wrk"
java "$(dirname "$0")/Attach.java" "$APP_PID" "$PROFILER_LIB" "stop,collapsed,file=$out"
requests=$(sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$WORK/$CONFIG-$EVENT.wrk")
echo "$CONFIG, sampling $SAMPLING, $EVENT: $requests checkouts in $DURATION; stacks in $out"
python3 - "$out" "$requests" "$unit" "$EVENT" <<'PY'
import collections, sys
path, requests, unit, event = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
scale = (1 / 1024) if event == "alloc" else 1.0  # KiB or ms per checkout
label = "KiB" if event == "alloc" else "ms"
instrumentation = ("dev/telemetry/bus", "dev/telemetry/aop", "dev/telemetry/observation", "dev/telemetry/tracing",
                   "dev/telemetry/metrics", "dev/telemetry/listener", "dev/telemetry/actuate", "io/micrometer",
                   "io/opentelemetry", "zipkin2", "org/springframework/boot", "net/ttddyy/observation")
parts, total = collections.Counter(), 0
for line in open(path):
    stack, _, count = line.rstrip().rpartition(" ")
    amount = int(count) * unit
    total += amount
    frames = stack.split(";")
    part = "(JDK, native, GC or JIT) " + frames[0][:40]
    for frame in reversed(frames[:-1] if event == "alloc" else frames):
        if "/" in frame and not frame.startswith(("java/", "jdk/", "sun/", "javax/")) and ".so" not in frame:
            part = "/".join(frame.split("/")[:3])
            break
    parts[part] += amount
per = lambda amount: amount / requests * scale
print(f"all: {per(total):.2f} {label} per checkout")
print(f"instrumentation (Micrometer, OpenTelemetry, the agent, Boot's glue, the starter): "
      f"{per(sum(v for k, v in parts.items() if k.startswith(instrumentation))):.2f} {label}")
for part, amount in parts.most_common(25):
    print(f"{per(amount):8.2f} {label}  {part}")
PY
