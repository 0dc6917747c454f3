#!/usr/bin/env bash
# Captures what the headless commands print in a real 160x45 terminal (tmux) into
# screenshots/*.txt, then the app itself as PNGs (scripts/screenshots-app.sh).
# Run from the repository root after `cargo build --release`. The commands talk to the index
# configured the way pip's is (the public one by default).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/target/release/wheelbarrow
session=wheelbarrow-shots
capture() { # name, command
  tmux kill-session -t "$session" 2>/dev/null || true
  tmux new-session -d -s "$session" -x 160 -y 45 "env PS1= bash --norc --noprofile"
  # The marker printed after the command tells when it has finished (at most a minute).
  tmux send-keys -t "$session" "clear; $2; echo __done__" Enter
  for _ in $(seq 600); do
    tmux capture-pane -t "$session" -p | grep -q '^__done__' && break
    sleep 0.1
  done
  tmux capture-pane -t "$session" -p | grep -v '^__done__' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"screenshots/$1.txt"
  tmux kill-session -t "$session"
}
capture runtimes "$bin runtimes"
capture check "$bin check --runtime python3.11 --arch arm64 \
  numpy-2.3.1-cp311-cp311-manylinux_2_28_aarch64.whl \
  numpy-2.2.6-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl \
  numpy-2.2.6-cp311-cp311-musllinux_1_2_aarch64.whl \
  numpy-2.2.6-cp311-cp311-macosx_14_0_arm64.whl \
  pydantic_core-2.27.2-cp312-cp312-manylinux_2_17_aarch64.whl \
  cryptography-44.0.0-cp39-abi3-manylinux_2_17_aarch64.whl"
capture search "$bin search pydntic -n 8; $bin search yaml -n 5"
# The index line is left out of the captures: it names the index host.
capture wheels "$bin wheels numpy --runtime python3.11 | grep -v -e '^index:' -e '✗'"
capture wheels-contents "$bin wheels orjson --runtime python3.12 --arch arm64 --contents | grep -v -e '^index:' -e '✗'"
capture resolve-conflict "$bin resolve 'numpy>=2.3' --runtime python3.11"
capture build "cd \$(mktemp -d) && $bin build fastapi pydantic mangum --runtime python3.12 --arch arm64 --exclude-runtime-provided -o layer.zip"
capture inspect "cd \$(mktemp -d) && $bin build numpy --runtime python3.12 -o layer.zip >/dev/null; $bin inspect layer.zip --runtime python3.11"
echo "wrote $(ls screenshots/*.txt | wc -l) captures to screenshots/"
# Then the app itself, as PNGs.
bash scripts/screenshots-app.sh
