#!/usr/bin/env bash
# Time from `java -jar` to the first answer of /observe/health/live, for each jar given, RUNS times
# interleaved (default 5), against a mailbox that cannot be reached (the endpoints start anyway).
# Usage: scripts/management-start-time.sh old.jar target/mailpipe.jar   (needs curl)
set -u
routes="$(cd "$(dirname "$0")/.." && pwd)/routes"
runs=${RUNS:-5}
for run in $(seq 1 "$runs"); do
  for jar in "$@"; do
    dir=$(mktemp -d); port=$((20000 + RANDOM % 20000))
    printf 'mailbox.host=localhost\nmailbox.port=1\nmailbox.protocol=pop3\nmailbox.username=u\nmailbox.password=p\nsink.files.dir=%s/out\nledger.dir=%s/ledger\nmanagement.port=%s\ncamel.main.routesIncludePattern=file:%s/*.yaml\n' "$dir" "$dir" "$port" "$routes" > "$dir/p.properties"
    start=$(date +%s%N)
    java -jar "$jar" --properties "$dir/p.properties" > "$dir/log" 2>&1 &
    pid=$!
    until curl -s -o /dev/null "http://127.0.0.1:$port/observe/health/live"; do sleep 0.01; done
    end=$(date +%s%N)
    kill "$pid"; wait "$pid" 2>/dev/null
    echo "$(basename "$jar") $(( (end - start) / 1000000 ))"
    rm -rf "$dir"
  done
done
