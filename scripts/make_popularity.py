#!/usr/bin/env python3
"""Turn a "Top PyPI Packages" dump into assets/popularity.txt, the order search ranks by.

    python3 scripts/make_popularity.py ../shared/data/top-pypi-packages.min.json

The dump is a public monthly list of the most-downloaded projects over 30 days (`rows`:
`project`, `download_count`; `last_update` says when), compiled from the index's public
download statistics. The asset keeps only the names, most downloaded first: a project's line
number is its download rank. Ties keep the dump's order, then the name, so a rerun on the same
dump gives the same bytes. A newer dump of the same format refreshes it.
"""

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "assets" / "popularity.txt"
NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    dump = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    rows = dump["rows"]
    if not rows or not all("project" in r and "download_count" in r for r in rows):
        print("the dump has no rows of project and download_count", file=sys.stderr)
        return 1
    order = sorted(
        enumerate(rows), key=lambda ir: (-int(ir[1]["download_count"]), ir[0])
    )
    seen = set()
    names = []
    for _, row in order:
        name = row["project"].strip()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if not NAME.match(name) or key in seen:
            continue  # not a valid project name, or the same project spelled twice
        seen.add(key)
        names.append(name)
    header = [
        "# Download rank of the most-downloaded projects: line N (after these comments) is rank N.",
        f"# Source: the \"Top PyPI Packages\" monthly dump ({dump.get('source', 'unknown')} query of the",
        "# index's public download statistics), 30-day download counts,",
        f"# last_update {dump.get('last_update', 'unknown')}; {len(names)} projects.",
        "# Made by scripts/make_popularity.py from that dump; rerun it on a newer dump to refresh.",
    ]
    OUT.write_text("\n".join(header + names) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(names)} projects, last_update {dump.get('last_update')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
