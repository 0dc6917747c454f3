# Sourced by the benchmark scripts: sets $uv to the uv on PATH, or installs uv into a throwaway
# venv under $work (which the caller removes).
uv=$(command -v uv || true)
if [ -z "$uv" ]; then
  python3 -m venv "$work/venv" >/dev/null
  "$work/venv/bin/pip" install --quiet uv
  uv="$work/venv/bin/uv"
fi
