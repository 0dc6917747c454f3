#!/usr/bin/env bash
# Times a cold (empty cache) and a warm resolution of a dozen top-level packages for
# python3.12 on x86_64, next to `uv pip compile --python-platform x86_64-manylinux_2_34` on the
# same set, and prints the figures. Needs network access to the default index. uv is installed
# into a throwaway venv if it is not on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
reqs=(fastapi pydantic sqlalchemy "psycopg[binary]" cryptography orjson requests boto3 httpx uvicorn mangum aws-lambda-powertools)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/uv-for-bench.sh
. scripts/uv-for-bench.sh
printf '%s\n' "${reqs[@]}" >"$work/requirements.in"
ms() { local s=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - s) / 1000000 )); }
export PIP_CONFIG_FILE=/dev/null
unset PIP_INDEX_URL || true
ours() { WHEELBARROW_CACHE_DIR="$work/wb-cache" ./target/release/wheelbarrow resolve -r "$work/requirements.in" --runtime python3.12 --arch x86_64; }
theirs() { UV_CACHE_DIR="$work/uv-cache" "$uv" pip compile "$work/requirements.in" --python-version 3.12 --python-platform x86_64-manylinux_2_34 --only-binary :all: -q -o /dev/null; }
echo "resolving ${#reqs[@]} top-level packages for python3.12 on x86_64 ($(ours | head -1 | cut -d' ' -f1) packages in all)"
rm -rf "$work/wb-cache"; echo "wheelbarrow cold: $(ms ours) ms"
echo "wheelbarrow warm: $(ms ours) ms (best of 3: $(for i in 1 2 3; do ms ours; done | sort -n | head -1) ms)"
rm -rf "$work/uv-cache"; echo "uv pip compile cold: $(ms theirs) ms"
echo "uv pip compile warm: $(ms theirs) ms (best of 3: $(for i in 1 2 3; do ms theirs; done | sort -n | head -1) ms)"
