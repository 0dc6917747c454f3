#!/usr/bin/env bash
# Times requirement sets that make a resolver backtrack through hundreds of versions, cold (empty
# cache) and warm, for python3.12 on x86_64, next to `uv pip compile` on the same requirements in
# the same run, and prints the figures and wheelbarrow's answer. The first set is unsatisfiable
# (boto3<1.20 needs botocore<1.23); the second resolves only after going back through every
# botocore that pins urllib3<1.27. Needs network access to the default index. uv is installed
# into a throwaway venv if it is not on PATH.
set -uo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/uv-for-bench.sh
. scripts/uv-for-bench.sh
export PIP_CONFIG_FILE=/dev/null
unset PIP_INDEX_URL || true
ms() { local s=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - s) / 1000000 )); }
ours() { WHEELBARROW_CACHE_DIR="$work/wb-cache" ./target/release/wheelbarrow resolve -r "$work/requirements.in" --runtime python3.12 --arch x86_64; }
theirs() { UV_CACHE_DIR="$work/uv-cache" "$uv" pip compile "$work/requirements.in" --python-version 3.12 --python-platform x86_64-manylinux_2_34 --only-binary :all: -q -o /dev/null; }
run_case() {
  printf '%s\n' "$@" >"$work/requirements.in"
  echo "== $* (python3.12, x86_64)"
  if ours >/dev/null 2>&1; then echo "   (it resolves, after backtracking)"; else echo "   (no solution)"; fi
  rm -rf "$work/wb-cache"; echo "   wheelbarrow cold: $(ms ours) ms, warm: $(ms ours) ms"
  rm -rf "$work/uv-cache"; echo "   uv pip compile cold: $(ms theirs) ms, warm: $(ms theirs) ms"
  echo "   wheelbarrow says:"; ours 2>&1 | sed 's/^/     /' | head -12
}
run_case 'boto3<1.20' 'botocore>=1.30'
run_case 'botocore<1.30' 'urllib3>=2.1'
