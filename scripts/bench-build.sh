#!/usr/bin/env bash
# Times building a layer zip, cold (empty caches) and warm, for numpy + pandas and for a larger
# set, beside `uv pip install --target` + `zip -r` and `pip install --target` + `zip -r`, for
# python3.12 on x86_64. Needs network access to the default index, python3, and zip.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
command -v zip >/dev/null || { echo "bench-build needs the zip command (apt-get install zip)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/uv-for-bench.sh
. scripts/uv-for-bench.sh
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1
unset PIP_INDEX_URL || true
ms() { local s; s=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - s) / 1000000 )); }
best() { local b=""; for _ in 1 2 3; do local t; t=$(ms "$@"); if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi; done; echo "$b"; }
plats=(--platform manylinux_2_34_x86_64)
for y in $(seq 33 -1 17); do plats+=(--platform "manylinux_2_${y}_x86_64"); done
plats+=(--platform manylinux2014_x86_64)

ours() { WHEELBARROW_CACHE_DIR="$work/wb" ./target/release/wheelbarrow build "$@" --runtime python3.12 --arch x86_64 -o "$work/ours.zip"; }
uv_zip() {
  rm -rf "$work/t" "$work/uv.zip"
  UV_CACHE_DIR="$work/uvc" "$uv" pip install --target "$work/t/python/lib/python3.12/site-packages" \
    --python-version 3.12 --python-platform x86_64-manylinux_2_34 --only-binary :all: -q "$@"
  (cd "$work/t" && zip -qr "$work/uv.zip" python)
}
pip_zip() {
  rm -rf "$work/t" "$work/pip.zip"
  PIP_CACHE_DIR="$work/pipc" python3 -m pip install -q --target "$work/t/python/lib/python3.12/site-packages" \
    --python-version 3.12 --implementation cp --abi cp312 --only-binary=:all: "${plats[@]}" "$@"
  (cd "$work/t" && zip -qr "$work/pip.zip" python)
}

run_set() {
  local label=$1; shift
  rm -rf "$work/wb" "$work/uvc" "$work/pipc"
  local oc uc pc ow uw pw
  oc=$(ms ours "$@"); ow=$(best ours "$@")
  uc=$(ms uv_zip "$@"); uw=$(best uv_zip "$@")
  pc=$(ms pip_zip "$@"); pw=$(best pip_zip "$@")
  echo "$label"
  printf '  %-30s cold %6d ms   warm %6d ms\n' "wheelbarrow build" "$oc" "$ow" "uv pip install + zip -r" "$uc" "$uw" "pip install + zip -r" "$pc" "$pw"
  echo "  sizes: ours $(stat -c %s "$work/ours.zip") bytes, uv+zip $(stat -c %s "$work/uv.zip") bytes, pip+zip $(stat -c %s "$work/pip.zip") bytes"
  awk -v o="$ow" -v u="$uw" 'BEGIN { printf "  warm: wheelbarrow takes %.2f of uv + zip\n", o / u }'
}

run_set "numpy + pandas" numpy pandas
run_set "a larger set (fastapi, pydantic, sqlalchemy, psycopg[binary], cryptography, orjson, numpy, pandas, pyarrow)" \
  fastapi pydantic sqlalchemy "psycopg[binary]" cryptography orjson numpy pandas pyarrow
