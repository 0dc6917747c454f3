#!/usr/bin/env bash
# Times `wheelbarrow resolve wide` (release build) against a loopback index where every release
# of `wide` needs `narrow>=2` and narrow has only 1.0, for 3,000 and 10,000 such releases (or
# the counts given as arguments), and prints the wall time, CPU time and peak RSS of each run,
# measured with `/usr/bin/time -v`. WHEELBARROW_BENCH_BIN=PATH times another build of the
# binary instead (an older one, to compare); WHEELBARROW_BENCH_DIR=/dev/shm puts the cache on a
# tmpfs (every METADATA file is written to the cache once: on a slow file system creating 10,000
# files is most of the time, and that is the disk's cost, not the resolver's). Goal (issue 26): 3,000 in under 2 s and 200 MB, 10,000 in under 8 s.
# No network: the index is the one the tests start (tests/bench_failing_versions.rs drives it,
# built in release too, so that the index answers as fast as the client asks). The cache is
# emptied before each run: every METADATA file is fetched and written once.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }
counts="${*:-3000 10000}"
WHEELBARROW_BENCH_COUNTS="$counts" \
  cargo test --release --quiet --test bench_failing_versions -- --ignored --nocapture 2>&1 \
  | grep -v '^running \|^test result\|^$\|^test '
