#!/bin/bash
# Time from start to the demo's first stored message, for the checkout's launcher, the installed
# bundle's launcher and the container image, interleaved, ROUNDS times each; prints each run and the
# medians (docs/benchmarks.md, "Time to the first message: checkout, bundle, image").
#   scripts/first-message-time.sh BUNDLE_HOME [ROUNDS] [IMAGE]
# BUNDLE_HOME: an untarred bundle whose archive is dumped (bin/mailpipe archive). IMAGE: a built
# image (podman), left out when not given.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=$1
rounds=${2:-5}
image=${3:-}

# Runs "$@" in a fresh folder; prints the milliseconds until mailpipe-demo-out holds an .eml.
first_message() {
  local work start now
  work=$(mktemp -d)
  start=$(date +%s%N)
  (cd "$work" && "$@" >"$work/log" 2>&1) &
  local pid=$!
  until find "$work/mailpipe-demo-out" -name '*.eml' 2>/dev/null | grep -q .; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "failed: $*" >&2; cat "$work/log" >&2; return 1; fi
    sleep 0.01
  done
  now=$(date +%s%N)
  wait "$pid"
  rm -rf "$work"
  echo $(((now - start) / 1000000))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

declare -A times
for round in $(seq "$rounds"); do
  times[checkout]+="$(first_message "$PWD/bin/mailpipe" --demo) "
  times[bundle]+="$(first_message "$bundle/bin/mailpipe" --demo) "
  if [ -n "$image" ]; then
    # The image's demo writes into its working folder, mounted from the run's folder.
    times[image]+="$(first_message sh -c 'podman --runtime runc run --rm --user 0 -v "$PWD:/work" -w /work '"$image"' --demo') "
  fi
done
for contender in checkout bundle image; do
  [ -n "${times[$contender]:-}" ] || continue
  echo "$contender: ${times[$contender]}ms; median $(echo "${times[$contender]}" | tr ' ' '\n' | grep . | median) ms"
done
