#!/usr/bin/env bash
# PNG captures of the real app at 160x45, each step driven as a user would, into screenshots/:
# tmux (capture-pane -e) -> aha (ANSI to HTML) -> headless Chromium (HTML to PNG).
# Run from the repository root; it talks to the index configured the way pip's is (the public
# one by default). Installs what it lacks with apt-get (root), and fails clearly when it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."
need() { command -v "$1" >/dev/null 2>&1; }
if ! need tmux || ! need aha || ! { need chromium || need chromium-browser; } || ! fc-list 2>/dev/null | grep -qi "DejaVu Sans Mono"; then
  echo "installing tmux, aha, chromium and fonts-dejavu-core..." >&2
  if ! { apt-get update -qq && apt-get install -y -qq tmux aha chromium fonts-dejavu-core; } >/dev/null; then
    echo "error: could not install tmux, aha, chromium and fonts-dejavu-core (run as root with apt)" >&2
    exit 1
  fi
fi
browser=$(command -v chromium || command -v chromium-browser)
cargo build --release --quiet
bin=$PWD/target/release/wheelbarrow
out=$PWD/screenshots
work=$(mktemp -d)
session=wheelbarrow-app-shots
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

tmux kill-session -t "$session" 2>/dev/null || true
tmux new-session -d -s "$session" -x 160 -y 45 "env PS1= bash --norc --noprofile"
tmux set -g default-terminal tmux-256color
tmux set -ga terminal-overrides ',*:RGB'
tmux send-keys -t "$session" "cd $work && TERM=tmux-256color $bin tui --runtime python3.12" Enter

screen() { tmux capture-pane -t "$session" -p; }
keys() { tmux send-keys -t "$session" "$@"; }
# Waits (at most a minute) until the screen shows $1 and, when given, no longer shows $2.
wait_for() {
  for _ in $(seq 600); do
    local text; text=$(screen)
    if grep -qF -- "$1" <<<"$text" && { [ -z "${2:-}" ] || ! grep -qF -- "$2" <<<"$text"; }; then
      return 0
    fi
    sleep 0.1
  done
  echo "error: the app never showed '$1'; it shows:" >&2
  screen >&2
  exit 1
}
# Writes screenshots/$1.png from what the terminal shows now.
shot() {
  tmux capture-pane -t "$session" -e -p >"$work/$1.ans"
  {
    cat <<'HTML'
<!doctype html><html><head><meta charset="utf-8"></head>
<body style="margin:0;background:#1d1f21">
<pre style="margin:10px;font-family:'DejaVu Sans Mono',monospace;font-size:14px;line-height:1.17;color:#d0d0d0">
HTML
    aha --no-header <"$work/$1.ans"
    echo '</pre></body></html>'
  } >"$work/$1.html"
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --force-device-scale-factor=1 --window-size=1370,770 \
    --screenshot="$out/$1.png" "file://$work/$1.html" >/dev/null 2>&1
  echo "wrote screenshots/$1.png"
}

wait_for "project names" "downloading"
# 1. A typo and an import name.
keys pydntic; wait_for "pydantic"; sleep 1.5; shot app-1-search-typo
keys C-u; keys yaml; wait_for "import yaml"; keys Down; wait_for "loads on python3.12"; shot app-2-search-import
# 2. A project's files, tags coloured, a refused one's reason.
keys C-u; keys numpy; wait_for "numpy exact name"; keys Enter
wait_for "best build" "opening"; keys Down Down; sleep 0.5; shot app-3-files
# 3. Pick the best build: the layer, the /opt tree and the budget.
keys Home Enter; wait_for "Layer: 1 pick"; wait_for "site-packages/" "resolving"; sleep 0.5; shot app-4-layer
# 4. Switch to python3.11: the pick turns red, the version that loads is offered.
keys t; wait_for "Target: type to filter"; keys "3.11 x86"; keys Enter
wait_for "u takes numpy"; shot app-5-switch
# 5. Take it; the matrix.
keys u; wait_for "python3.11 on x86_64:" "resolving"; wait_for "site-packages/"
keys m; wait_for "Where the layer loads"; shot app-6-matrix; keys Escape
# 6. Export with the defaults: the summary with the publish command.
wait_for "project names" "Where the layer loads"; keys e; wait_for "Export the layer"; keys Enter
wait_for "sha256"; shot app-7-export; keys Escape; wait_for "project names" "sha256"
# 7. The help screen.
keys "?"; wait_for "Keys:"; shot app-8-help
keys Escape; keys q
echo "wrote $(ls "$out"/app-*.png | wc -l) PNG captures to screenshots/"
