#!/usr/bin/env python3
"""Builds tests/fixtures/search/names.txt.gz, the name list the ranking tests search.

Input: the project-name list wheelbarrow stores after `wheelbarrow search` has run once
(`<cache dir>/names-v1-*.txt`). Output: every name whose normalised form contains one of the
fragments the ranking tests type (so the decoys are all there: req2, requests2, pydantic-x...),
plus every 8th other name, so the fixture behaves like the real list at a tenth of the size.

    python3 scripts/make_search_fixture.py ~/.cache/wheelbarrow/names-v1-*.txt
"""
import gzip
import re
import sys
from pathlib import Path

FRAGMENTS = [
    "req", "yaml", "pydantic", "pyda", "numpy", "num", "boto", "fastapi", "fasta", "sqlalc",
    "pand", "djan", "cryp", "flask", "pillow", "scikit", "opencv", "beautifulsoup", "jwt",
    "dateutil", "dotenv", "orjson", "psycopg", "redis", "uvicorn", "httpx", "pytest", "lambda",
    "powertools", "click", "attrs", "jinja",
]


def key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main() -> None:
    source = Path(sys.argv[1])
    lines = source.read_text().split("\n")
    names = lines[1:]  # first line is the file header
    kept = [
        n for i, n in enumerate(names)
        if i % 8 == 0 or any(f in key(n) for f in FRAGMENTS)
    ]
    out = Path(__file__).resolve().parent.parent / "tests/fixtures/search/names.txt.gz"
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(out, "wb", mtime=0) as f:
        f.write("\n".join(kept).encode())
    print(f"{len(kept)} of {len(names)} names -> {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
