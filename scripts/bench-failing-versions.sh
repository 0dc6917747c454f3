#!/usr/bin/env bash
# Times `wheelbarrow resolve wide` (release build) against a loopback index where every release
# of `wide` needs a `narrow` that does not exist, for 3,000 and 10,000 such releases (or the
# counts given as arguments), and prints the wall time and peak RSS of each run, measured with
# `/usr/bin/time -v`. Goal (issue 26): 3,000 in under 2 s and 200 MB, 10,000 in under 8 s.
# No network: the index is the one the tests start (tests/bench_failing_versions.rs drives it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }
cargo build --release --quiet
counts="${*:-3000 10000}"
WHEELBARROW_BENCH_BIN="$PWD/target/release/wheelbarrow" WHEELBARROW_BENCH_COUNTS="$counts" \
  cargo test --quiet --test bench_failing_versions -- --ignored --nocapture 2>&1 \
  | grep -v '^running \|^test result\|^$\|^test '
