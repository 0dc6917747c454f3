#!/usr/bin/env bash
# `inspect` under hostile input, with figures: /dev/zero and a FIFO in place of a zip (refused
# before any read), a 200-entry zip whose entries all share one deflate stream of 249 MiB of
# zeros (one inflate budget for the whole zip), and SIGTERM while that zip is inflated.
# Prints wall time, CPU time (user + system), peak RSS and the exit status of each.
# Goals: the refusals in well under a second and a few MB; the bomb in a few seconds of CPU,
# not 38 s; SIGTERM heard within a second. WB names the binary (default: a release build).
# Needs python3 (to write the zip), mkfifo and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${WB:-}" ]]; then
  cargo build --release --quiet
  WB=./target/release/wheelbarrow
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/bomb.zip" <<'PY'
import struct, sys, zlib
size = 249 << 20
zeros = b"\0" * (1 << 20)
c = zlib.compressobj(9, zlib.DEFLATED, -15)
stream = (c.compress(zeros) + c.flush(zlib.Z_SYNC_FLUSH)) * 249 + b"\x03\x00"
crc = 0
for _ in range(249):
    crc = zlib.crc32(zeros, crc)
name = lambda i: ("python/lib/python3.12/site-packages/app/_m%d.cpython-312-x86_64-linux-gnu.so" % i).encode()
body = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(stream), size, len(name(0)), 0) + name(0) + stream
cd = b"".join(
    struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | 20, 20, 0, 8, 0, 0, crc, len(stream), size,
                len(name(i)), 0, 0, 0, 0, 0o100644 << 16, 0) + name(i)
    for i in range(200))
eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 200, 200, len(cd), len(body), 0)
open(sys.argv[1], "wb").write(body + cd + eocd)
PY
mkfifo "$work/layer.zip"
measure() { # LABEL ARGS...: one line of figures, then the first line of stderr
  local label=$1; shift
  local status=0
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$WB" inspect "$@" >"$work/out" 2>"$work/err" || status=$?
  read -r wall user sys rss < <(tail -1 "$work/time")
  printf '%-28s wall %5.2f s  cpu %5.2f s  peak RSS %7.1f MB  exit %d\n' "$label" "$wall" \
    "$(echo "$user + $sys" | bc)" "$(echo "scale=1; $rss / 1024" | bc)" "$status"
  printf '    %s\n' "$(grep -m1 -E 'error|stopped inflating' "$work/err" "$work/out" | cut -d: -f2- | cut -c1-150)"
}
echo "zip of 200 overlapping entries: $(stat -c %s "$work/bomb.zip") bytes"
measure "inspect /dev/zero" /dev/zero
measure "inspect FIFO" "$work/layer.zip"
measure "inspect overlapping zip" "$work/bomb.zip"
# SIGTERM half a second in: how long until it has ended.
"$WB" inspect "$work/bomb.zip" >/dev/null 2>"$work/err" &
pid=$!
sleep 0.5
start=$(date +%s%N)
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
printf '%-28s ended %d ms after the signal, exit %d: %s\n' "SIGTERM while inflating" \
  $(( ($(date +%s%N) - start) / 1000000 )) "$status" "$(head -1 "$work/err")"
