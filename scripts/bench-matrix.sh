#!/usr/bin/env bash
# Times `wheelbarrow matrix` of a 10-package set on all 12 targets (6 runtimes × 2
# architectures), cold (empty cache) and warm, beside 12 sequential `wheelbarrow resolve` runs
# (one per target): the sum of those runs starting from an empty cache shared by the 12, and
# warm. Goals: matrix warm ≤ 1 s; matrix cold ≤ 0.5 × the cold sequential sum. Also checks that
# the matrix's versions equal the 12 resolve runs. Uses the default index (network access), or
# the index given as BENCH_INDEX_URL (e.g. a loopback mirror). BENCH_PROFILE=debug times the
# debug build instead of the release one (slower; says so).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${BENCH_PROFILE:-release}
# Without the publish feature (the AWS SDK): the matrix does not publish, and it builds faster.
if [ "$profile" = debug ]; then cargo build --quiet --no-default-features; else cargo build --release --quiet --no-default-features; fi
command -v jq >/dev/null || { echo "bench-matrix needs jq"; exit 2; }
reqs=(requests pydantic numpy pandas orjson cryptography sqlalchemy httpx pyyaml attrs)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The default index alone: no pip.conf, index or find-links location from the environment.
export PIP_CONFIG_FILE=/dev/null
unset PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_FIND_LINKS || true
index=()
[ -n "${BENCH_INDEX_URL:-}" ] && index=(--index-url "$BENCH_INDEX_URL")
wb="./target/$profile/wheelbarrow"
ms() { local s; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; echo $(( ($(date +%s%N) - s) / 1000000 )); }
matrix() { WHEELBARROW_CACHE_DIR="$work/$1" "$wb" matrix "${reqs[@]}" "${index[@]}" "${@:2}"; }
targets=$(for r in 3.9 3.10 3.11 3.12 3.13 3.14; do for a in x86_64 arm64; do echo "python$r/$a"; done; done)
sequential() { # CACHE: the 12 resolve runs one after another
  for t in $targets; do
    WHEELBARROW_CACHE_DIR="$work/$1" "$wb" resolve "${reqs[@]}" "${index[@]}" \
      --runtime "${t%/*}" --arch "${t#*/}" --json >"$work/resolve-${t/\//-}.json" 2>/dev/null || true
  done
}
echo "matrix of ${#reqs[@]} packages (${reqs[*]}) on 12 targets ($profile build)"
rm -rf "$work/m"; mc=$(ms matrix m)
mw=$(for _ in 1 2 3; do ms matrix m; done | sort -n | head -1)
rm -rf "$work/s"; sc=$(ms sequential s)
sw=$(for _ in 1 2 3; do ms sequential s; done | sort -n | head -1)
printf '  %-44s cold %6d ms   warm (best of 3) %6d ms\n' \
  "wheelbarrow matrix (12 targets at once)" "$mc" "$mw" \
  "12 sequential wheelbarrow resolve runs (sum)" "$sc" "$sw"
awk -v mc="$mc" -v sc="$sc" -v mw="$mw" 'BEGIN {
  printf "  cold: the matrix takes %.2f of the sequential sum (goal ≤ 0.5)\n", mc / sc
  printf "  warm: the matrix takes %d ms (goal ≤ 1000 ms)\n", mw }'
# The same versions as the resolve runs, target by target.
matrix m --json >"$work/matrix.json" 2>/dev/null || true
agree=0; differ=0; i=0
for t in $targets; do
  from_matrix=$(jq -c --argjson i "$i" '[.packages[] | select(.versions[$i] != null) | {(.name): .versions[$i]}] | add // {} | to_entries | sort_by(.key) | from_entries' "$work/matrix.json")
  from_resolve=$(jq -c '[.packages[]? | {(.name): .version}] | add // {} | to_entries | sort_by(.key) | from_entries' "$work/resolve-${t/\//-}.json")
  if [ "$from_matrix" = "$from_resolve" ]; then agree=$((agree + 1)); else differ=$((differ + 1)); echo "  $t differs: matrix $from_matrix, resolve $from_resolve"; fi
  i=$((i + 1))
done
echo "  versions: $agree of 12 targets agree with their resolve run ($differ differ)"
