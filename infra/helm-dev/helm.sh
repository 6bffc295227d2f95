#!/usr/bin/env bash
# A `helm` for the chart's tests and for developers without one (see README.md in infra/):
# the real Helm library from Maven Central (helm-java, linux-amd64), driven by HelmCli.java.
#   bash infra/helm-dev/helm.sh version
#   bash infra/helm-dev/helm.sh lint infra/helm/lotgraph --strict
#   bash infra/helm-dev/helm.sh template infra/helm/lotgraph --name lotgraph -f my-values.yaml --set k=v
# Several commands in one JVM: separate them with a lone --next (each one's stdout and stderr then
# end with a line "---- lotgraph-helm-dev exit CODE ----"). Builds itself once (Maven fetches into
# ~/.m2 the first time).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -f "$here/target/classpath.txt" ] || [ "$here/pom.xml" -nt "$here/target/classpath.txt" ] ||
  [ -n "$(find "$here/src" -newer "$here/target/classpath.txt" -name '*.java' -print -quit)" ]; then
  echo "building the helm launcher (mvn package)…" >&2
  log="$(mktemp)"
  if ! (cd "$here" && mvn -q -B -Dstyle.color=never package -DskipTests) >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    exit 2
  fi
  rm -f "$log"
fi
# No cluster is ever contacted (lint and template are offline); keep Helm away from any kubeconfig.
export KUBECONFIG=/dev/null HELM_CACHE_HOME="${TMPDIR:-/tmp}/lotgraph-helm-dev/cache" \
  HELM_CONFIG_HOME="${TMPDIR:-/tmp}/lotgraph-helm-dev/config" HELM_DATA_HOME="${TMPDIR:-/tmp}/lotgraph-helm-dev/data"
exec java -Xss8m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" dev.lotgraph.helmdev.HelmCli "$@"
