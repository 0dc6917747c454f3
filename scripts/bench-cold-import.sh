#!/usr/bin/env bash
# Cold imports with and without bytecode: a layer of pandas, requests, pydantic and boto3 for
# this machine's Python (python3.X from `python3`), built by wheelbarrow from the default index
# without and with --compile, unzipped into an /opt-like read-only folder and imported there
# with PYTHONDONTWRITEBYTECODE=1 (as on Lambda, where /opt is read-only): medians of 5. Then the
# warm build time (caches filled) without and with --compile, medians of 5.
# Goals: imports with bytecode take at most 0.3 of the time without; a warm --compile build at
# most 2x a warm build. Needs network access to the default index, python3 and /usr/bin/time.
# Imports are timed by wall clock and by CPU time (user + system), which other work on a shared
# machine inflates less. WHEELBARROW_CACHE_DIR, when set, is used (and kept) as the cache.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
# The interpreter itself, not a shim (pyenv's would add its own start-up to every import).
python=$(python3 -c 'import sys; print(sys.executable)')
minor=$("$python" -c 'import sys; print(sys.version_info[1])')
runtime="python3.$minor"
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export PIP_CONFIG_FILE=/dev/null WHEELBARROW_CACHE_DIR="${WHEELBARROW_CACHE_DIR:-$work/cache}"
unset PIP_INDEX_URL || true
packages=(pandas requests pydantic boto3)
wb() { ./target/release/wheelbarrow build "${packages[@]}" --runtime "$runtime" --arch x86_64 "$@"; }
ms() { local s; s=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - s) / 1000000 )); }
median5() {
  local times=()
  for _ in 1 2 3 4 5; do times+=("$(ms "$@")"); done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}
unzip_to() { # ZIP DIR: unzip with Python (no unzip command needed), then make it read-only
  rm -rf "$2"; mkdir -p "$2"
  "$python" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"
  chmod -R a-w "$2"
}
import_all() { # DIR
  PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$1/python/lib/$runtime/site-packages" \
    "$python" -s -c 'import pandas, requests, pydantic, boto3'
}
import_times() { # DIR: five imports, then the median wall and CPU milliseconds
  local walls=() cpus=()
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%e %U %S' -o "$work/time" env PYTHONDONTWRITEBYTECODE=1 \
      PYTHONPATH="$1/python/lib/$runtime/site-packages" \
      "$python" -s -c 'import pandas, requests, pydantic, boto3'
    read -r e u s < "$work/time"
    walls+=("$(awk -v e="$e" 'BEGIN { printf "%d", e * 1000 }')")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%d", (u + s) * 1000 }')")
  done
  echo "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n 3p) $(printf '%s\n' "${cpus[@]}" | sort -n | sed -n 3p)"
}

echo "Layer of ${packages[*]} for $runtime on x86_64 ($("$python" -V))"
first=$(date +%s%N)
wb -o "$work/plain.zip" >/dev/null
first_compile=$(date +%s%N)
wb --compile -o "$work/compiled.zip" > "$work/compiled.txt"
done_at=$(date +%s%N)
echo "  first builds: without --compile $(( (first_compile - first) / 1000000 )) ms (downloads included unless cached), then with --compile $(( (done_at - first_compile) / 1000000 )) ms (compiles what the cache does not hold)"
grep -E '^(Built|Bytecode)' "$work/compiled.txt" | sed 's/^/  /'
unzip_to "$work/plain.zip" "$work/opt-plain"
unzip_to "$work/compiled.zip" "$work/opt-compiled"
import_all "$work/opt-plain" || { echo "the layer does not import"; exit 1; }
import_all "$work/opt-compiled" || { echo "the compiled layer does not import"; exit 1; }
size() { du -sb "$1" | cut -f1; }
echo "  unzipped: without bytecode $(size "$work/opt-plain") bytes, with $(size "$work/opt-compiled") bytes"
echo "  zipped:   without bytecode $(stat -c %s "$work/plain.zip") bytes, with $(stat -c %s "$work/compiled.zip") bytes"

read -r plain plain_cpu <<< "$(import_times "$work/opt-plain")"
read -r compiled compiled_cpu <<< "$(import_times "$work/opt-compiled")"
echo "Import from a read-only copy (medians of 5; load average $(cut -d' ' -f1 /proc/loadavg)):"
echo "  wall clock: without bytecode $plain ms, with $compiled ms"
echo "  CPU time:   without bytecode $plain_cpu ms, with $compiled_cpu ms"
awk -v c="$compiled" -v p="$plain" -v cc="$compiled_cpu" -v pc="$plain_cpu" \
  'BEGIN { printf "  with bytecode takes %.2f of the wall clock, %.2f of the CPU time without (goal: at most 0.30)\n", c / p, cc / pc }'

warm=$(median5 wb -o "$work/w1.zip")
warm_compile=$(median5 wb --compile -o "$work/w2.zip")
echo "Warm build (median of 5): without --compile $warm ms, with --compile $warm_compile ms"
awk -v c="$warm_compile" -v p="$warm" 'BEGIN { printf "  --compile takes %.2f of the warm build (goal: at most 2.00)\n", c / p }'
cmp -s "$work/compiled.zip" "$work/w2.zip" && echo "  the warm --compile zip is byte-identical to the first" \
  || echo "  the warm --compile zip DIFFERS from the first"
