#!/usr/bin/env bash
# Heap after a full GC while a Boot application with the starter takes a flood of distinct event
# names, metric tag values, span attribute values and handler ids (FloodMain): it must stay flat
# after the first round, since all the starter keeps per name, value or id is bounded. In-process,
# no network, about 15 s. ROUNDS, PER_ROUND, THREADS and HEAP change the defaults; further
# arguments go to the application (e.g. --flood.histograms=true, --telemetry.endpoint.max-events=5000).
set -euo pipefail
source "$(dirname "$0")/common.sh"
ROUNDS=${ROUNDS:-5}
PER_ROUND=${PER_ROUND:-200000}
THREADS=${THREADS:-2}
HEAP=${HEAP:-512m}

# The reactor's own jars on the classpath, not what ~/.m2 holds: nothing is installed. Maven's
# output goes to stderr, so that stdout is the table alone.
(cd "$ROOT" && mvn -B -ntp -q -pl benchmarks -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt) >&2
cd "$ROOT/benchmarks"
rm -rf target/flood
java -Xms"$HEAP" -Xmx"$HEAP" -cp "target/classes:$(cat target/classpath.txt)" dev.telemetry.benchmarks.FloodMain \
  --flood.rounds="$ROUNDS" --flood.per-round="$PER_ROUND" --flood.threads="$THREADS" "$@"
echo "Handlers detached for failing, one ERROR each in benchmarks/target/flood/flood.log:" \
  "$(grep -c 'was detached from all its events' target/flood/flood.log)"
