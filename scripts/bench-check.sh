#!/usr/bin/env bash
# Times `wheelbarrow check -` on 100,000 real wheel file names read from stdin (the fixture's
# names repeated), for one target, and prints the figures. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
names=tests/fixtures/wheel_tags/names.txt
input=$(mktemp)
trap 'rm -f "$input"' EXIT
while [ "$(wc -l <"$input")" -lt 100000 ]; do cat "$names" >>"$input"; done
head -n 100000 "$input" >"$input.100k" && mv "$input.100k" "$input"
count=$(wc -l <"$input")
for mode in text json; do
  flag=(); [ "$mode" = json ] && flag=(--json)
  best=""
  for run in 1 2 3 4 5; do
    start=$(date +%s%N)
    ./target/release/wheelbarrow check - --runtime python3.11 --arch x86_64 "${flag[@]}" <"$input" >/dev/null || true
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "check ($mode): $count names from stdin, best of 5 runs: ${best} ms"
done
