#!/usr/bin/env bash
# Stops the server start.sh started (same NEO4J_DEV_PORT / NEO4J_DEV_DIR), by its pid: a clean
# shutdown first, a kill after 30 s.
set -euo pipefail
port="${NEO4J_DEV_PORT:-7687}"
dir="${NEO4J_DEV_DIR:-/tmp/lotgraph-neo4j-dev-$port}"
pidfile="$dir/neo4j.pid"
[ -f "$pidfile" ] || { echo "no Neo4j started from $dir" >&2; exit 0; }
pid="$(cat "$pidfile")"
if kill -0 "$pid" 2>/dev/null; then
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; echo "Neo4j killed (pid $pid)" >&2; else echo "Neo4j stopped (pid $pid)" >&2; fi
fi
rm -f "$pidfile"
