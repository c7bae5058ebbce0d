# Shared by the load scripts: prerequisites, processes on loopback, parsing.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILT_SAMPLE_JAR="$ROOT/sample-checkout-app/target/sample-checkout-app.jar"
# SAMPLE_JAR may name another build of the sample, e.g. one from an older commit to compare with.
SAMPLE_JAR="${SAMPLE_JAR:-$BUILT_SAMPLE_JAR}"
ZIPKIN_JAR="$ROOT/sample-checkout-app/target/zipkin/zipkin-server.jar"
AGENT_VERSION=2.26.0
AGENT_JAR="$ROOT/benchmarks/target/agent/opentelemetry-javaagent-$AGENT_VERSION.jar"
WORK="$ROOT/benchmarks/target/load"
mkdir -p "$WORK"

prerequisites() {
  if ! command -v wrk >/dev/null 2>&1; then
    echo "Installing wrk (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  fi
  if [ "$SAMPLE_JAR" = "$BUILT_SAMPLE_JAR" ]; then
    # Every time: a jar left from an earlier build would measure the library as it was then.
    (cd "$ROOT" && mvn -B -ntp -q -DskipTests package)
  elif [ ! -f "$SAMPLE_JAR" ]; then
    echo "SAMPLE_JAR $SAMPLE_JAR does not exist" >&2
    exit 1
  fi
  if [ ! -f "$ZIPKIN_JAR" ]; then
    (cd "$ROOT" && mvn -B -ntp -q -pl sample-checkout-app dependency:copy@zipkin-server)
  fi
  if [ ! -f "$AGENT_JAR" ]; then
    (cd "$ROOT" && mvn -B -ntp -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:$AGENT_VERSION \
      -DoutputDirectory="$ROOT/benchmarks/target/agent")
  fi
}

# The sample's configurations: the baseline's flags, and the agent's JVM flags for a Zipkin endpoint.
BASELINE=(--telemetry.enabled=false --management.observations.enable.all=false --management.tracing.export.enabled=false)

# SAMPLING (default 1.0) is the share of traces both the starter and the agent keep.
SAMPLING=${SAMPLING:-1.0}

# The starter fully on, exporting to a Zipkin endpoint, at SAMPLING.
telemetry_flags() {
  printf '%s\n' --spring.profiles.active=zipkin --management.tracing.export.zipkin.endpoint="$1" \
    --management.tracing.sampling.probability="$SAMPLING"
}

# The agent doing the starter's work: spans for the same four business methods (the starter's
# @TelemetryEvent methods), its metrics on (exported for Prometheus, not scraped, as the sample's
# registry is not), and the same sampling; JDBC, JMS and HTTP it instruments by default, as the starter does.
agent_flags() {
  local pkg=dev.telemetry.sample.checkout
  printf '%s\n' -javaagent:"$AGENT_JAR" -Dotel.service.name=sample-checkout-app-agent -Dotel.traces.exporter=zipkin \
    -Dotel.exporter.zipkin.endpoint="$1" -Dotel.metrics.exporter=prometheus -Dotel.logs.exporter=none \
    -Dotel.instrumentation.methods.include="$pkg.CheckoutService[checkout];$pkg.PaymentClient[charge];$pkg.FulfillmentService[fulfill];$pkg.OrderNotifications[notifyCustomer]" \
    -Dotel.traces.sampler=parentbased_traceidratio -Dotel.traces.sampler.arg="$SAMPLING"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for URL SECONDS
wait_for() {
  local deadline=$((SECONDS + $2))
  until curl -s -o /dev/null "$1"; do
    if [ $SECONDS -ge $deadline ]; then echo "timed out waiting for $1" >&2; return 1; fi
    sleep 0.2
  done
}

# Zipkin keeps spans in memory; bounded, so that a long run does not drive its 512 MiB heap into
# back-to-back garbage collection, which would take the cores from the sample and time out exports.
ZIPKIN_MAX_SPANS=${ZIPKIN_MAX_SPANS:-100000}

start_zipkin() {
  ZIPKIN_PORT=$(free_port)
  java -Xmx512m -jar "$ZIPKIN_JAR" --server.port="$ZIPKIN_PORT" --zipkin.storage.mem.max-spans="$ZIPKIN_MAX_SPANS" \
    > "$WORK/zipkin.log" 2>&1 &
  ZIPKIN_PID=$!
  wait_for "http://127.0.0.1:$ZIPKIN_PORT/health" 120
}

# start_app NAME PORT JVM_ARGS... -- APP_ARGS...
start_app() {
  local name=$1 port=$2
  shift 2
  local jvm=() app=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do jvm+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  app=("$@")
  java -Xms512m -Xmx512m "${jvm[@]}" -jar "$SAMPLE_JAR" --server.port="$port" --shop.payment.provider-delay=0ms \
    "${app[@]}" > "$WORK/$name.log" 2>&1 &
  APP_PID=$!
  wait_for "http://127.0.0.1:$port/actuator/health" 180
}

stop_pid() {
  [ -n "${1:-}" ] || return 0
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Boot's own figure: "Started CheckoutApplication in X seconds (process running for Y)".
startup_seconds() {
  sed -n 's/.*process running for \([0-9.]*\)).*/\1/p' "$WORK/$1.log" | head -n 1
}
