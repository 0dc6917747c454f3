#!/usr/bin/env bash
# Regenerates tests/fixtures/locks/{uv,poetry}/ with the real tools: uv and Poetry, installed
# into a throwaway venv, lock the projects of tests/fixtures/locks/input/ against the loopback
# index of tests/support/locks.rs (served by an ignored test while this runs). Nothing there is
# written by hand: the locks, the pylock.toml and the `uv export` outputs the tests compare with
# are the tools' own.
#
#   scripts/make_lock_fixtures.sh            # uv 0.13.9, Poetry 2.5.1
#   UV_VERSION=… POETRY_VERSION=… scripts/make_lock_fixtures.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
fixtures="$here/tests/fixtures/locks"
work=$(mktemp -d)
server=""
cleanup() {
  touch "$work/stop"
  if [ -n "$server" ]; then wait "$server" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "uv==${UV_VERSION:-0.13.9}" "poetry==${POETRY_VERSION:-2.5.1}"
uv="$work/venv/bin/uv"
poetry="$work/venv/bin/poetry"

# The loopback index, until $work/stop exists.
(cd "$here" && WB_LOCK_INDEX_URL_FILE="$work/url" WB_LOCK_INDEX_STOP_FILE="$work/stop" \
  cargo test --quiet --test cli_locks -- --ignored --exact serve_the_lock_fixture_index >/dev/null) &
server=$!
for _ in $(seq 1 600); do [ -s "$work/url" ] && break; sleep 1; done
url=$(cat "$work/url")
echo "index: $url"

export UV_CACHE_DIR="$work/uv-cache" UV_PYTHON_DOWNLOADS=never UV_NO_CONFIG=1
export POETRY_CACHE_DIR="$work/poetry-cache" POETRY_VIRTUALENVS_IN_PROJECT=false \
  POETRY_VIRTUALENVS_PATH="$work/poetry-venvs"

# uv: the lock, the pylock.toml it exports, and its exports for the selections the tests use.
cp -r "$fixtures/input/uv" "$work/uv"
(
  cd "$work/uv"
  "$uv" lock --default-index "$url"
  "$uv" export --frozen --format pylock.toml --no-default-groups -o pylock.toml >/dev/null
  "$uv" export --frozen --no-hashes --no-default-groups -o export-default.txt >/dev/null
  "$uv" export --frozen --no-hashes --no-default-groups --group docs --extra speed -o export-docs-speed.txt >/dev/null
  "$uv" export --frozen --no-hashes --no-default-groups --group dev --group docs --all-extras -o export-dev-docs-all-extras.txt >/dev/null
)
rm -rf "$fixtures/uv"
mkdir -p "$fixtures/uv/mylib"
cp "$work/uv/pyproject.toml" "$work/uv/uv.lock" "$work/uv/pylock.toml" "$work/uv"/export-*.txt "$fixtures/uv/"
cp "$work/uv/mylib/pyproject.toml" "$fixtures/uv/mylib/"

# Poetry: its lock with the pyproject.toml beside it.
cp -r "$fixtures/input/poetry" "$work/poetry"
cp -r "$fixtures/input/uv/mylib" "$work/poetry/mylib"
sed -i "s|@INDEX@|$url|" "$work/poetry/pyproject.toml"
(cd "$work/poetry" && "$poetry" lock --no-interaction)
rm -rf "$fixtures/poetry"
mkdir -p "$fixtures/poetry/mylib"
cp "$work/poetry/pyproject.toml" "$work/poetry/poetry.lock" "$fixtures/poetry/"
cp "$work/poetry/mylib/pyproject.toml" "$fixtures/poetry/mylib/"
echo "written: $fixtures/uv, $fixtures/poetry"
