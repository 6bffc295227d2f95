#!/usr/bin/env bash
# Starts the test/development Neo4j server (see README.md) in the background, waits for its ready
# line and prints `NEO4J_URI=bolt://127.0.0.1:<port>` on stdout; progress goes to stderr.
#   NEO4J_DEV_PORT         Bolt port (default 7687)
#   NEO4J_DEV_HEAP         JVM heap, -Xmx (default 768m)
#   NEO4J_DEV_PAGECACHE_MB page cache (default 128)
#   NEO4J_DEV_DIR          where the data, log and pid go (default /tmp/lotgraph-neo4j-dev-<port>)
#   NEO4J_DEV_KEEP_DATA=1  start on the data a stopped server left (default: a fresh, empty graph)
# An already running server on the same directory is reused. Stop it with stop.sh.
# Auth is off: any user name and password are accepted (Lotgraph still requires both to be set).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${NEO4J_DEV_PORT:-7687}"
heap="${NEO4J_DEV_HEAP:-768m}"
dir="${NEO4J_DEV_DIR:-/tmp/lotgraph-neo4j-dev-$port}"
pidfile="$dir/neo4j.pid"
log="$dir/neo4j.log"

if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  echo "Neo4j already running (pid $(cat "$pidfile"), $dir)" >&2
  echo "NEO4J_URI=bolt://127.0.0.1:$port"
  exit 0
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "port $port is taken by another process; set NEO4J_DEV_PORT" >&2
  exit 1
fi

# Compile once (Maven resolves Neo4j from Maven Central into ~/.m2 the first time).
if [ ! -f "$here/target/classpath.txt" ] || [ "$here/pom.xml" -nt "$here/target/classpath.txt" ] ||
  [ -n "$(find "$here/src" -newer "$here/target/classpath.txt" -name '*.java' -print -quit)" ]; then
  echo "building the launcher (mvn package)…" >&2
  (cd "$here" && mvn -q -B package -DskipTests) >&2
fi

[ "${NEO4J_DEV_KEEP_DATA:-0}" = 1 ] || rm -rf "$dir/data"
mkdir -p "$dir"
: >"$log"
nohup java -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  dev.lotgraph.neo4jdev.Neo4jDevServer "$dir/data" "$port" >"$log" 2>&1 &
echo $! >"$pidfile"

for _ in $(seq 1 240); do
  if grep -q '^NEO4J READY' "$log"; then
    grep '^NEO4J READY' "$log" >&2
    echo "NEO4J_URI=bolt://127.0.0.1:$port"
    exit 0
  fi
  if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "Neo4j exited before it was ready; its log ($log):" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "Neo4j not ready after 120 s; its log ($log):" >&2
tail -n 40 "$log" >&2
exit 1
