#!/usr/bin/env python3
"""Compute expected wheel verdicts for AWS Lambda targets with pypa/packaging.

Reads  tests/fixtures/wheel_tags/names.txt   (from scripts/collect_wheel_names.py)
Writes tests/fixtures/wheel_tags/expected.tsv
       tests/fixtures/wheel_tags/platforms.tsv

Run it with a Python that has `packaging` installed (any recent version; the
version used is written into the fixture header), e.g. from a venv outside
the repository:

    python3 -m venv /tmp/oracle-venv && /tmp/oracle-venv/bin/pip install packaging
    /tmp/oracle-venv/bin/python scripts/gen_tag_fixture.py

Targets: python3.9, 3.10, 3.11 (glibc 2.26) and python3.12, 3.13, 3.14
(glibc 2.34), each on Lambda arch x86_64 (wheel arch x86_64) and arm64
(wheel arch aarch64).  For each target the ordered tag list is built the way
pip builds it for `--platform manylinux... --python-version 3.X
--implementation cp --abi cp3X`:

  P    = packaging._manylinux.platform_tags([arch]) with the glibc version
         forced to the target's and the ABI check forced to pass (no
         musllinux, no plain linux_<arch>);
  tags = cpython_tags((3, X), abis=[cp3X], platforms=P)
         + compatible_tags((3, X), interpreter=cp3X, platforms=P).

A wheel's cell is the smallest index in that list of any tag in the wheel's
tag set (0 = most preferred), or "-" when no tag is in the list.  Names that
packaging refuses to parse are skipped and reported on stderr.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path

import packaging
import packaging._manylinux as _manylinux
import packaging.tags
import packaging.utils

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DIR = REPO_ROOT / "tests" / "fixtures" / "wheel_tags"

RUNTIMES = [
    ("python3.9", (3, 9), (2, 26)),
    ("python3.10", (3, 10), (2, 26)),
    ("python3.11", (3, 11), (2, 26)),
    ("python3.12", (3, 12), (2, 34)),
    ("python3.13", (3, 13), (2, 34)),
    ("python3.14", (3, 14), (2, 34)),
]
ARCHES = [("x86_64", "x86_64"), ("arm64", "aarch64")]  # (Lambda name, wheel arch)


def manylinux_platforms(arch: str, glibc: tuple[int, int]) -> list[str]:
    """packaging's own manylinux tags for a glibc/arch, not the host's."""
    # Make sure no host `_manylinux` override module is consulted.
    saved_mod = sys.modules.get("_manylinux", None)
    had_mod = "_manylinux" in sys.modules
    sys.modules["_manylinux"] = None  # type: ignore[assignment]

    version_cls = getattr(_manylinux, "_GLibCVersion", None)
    forced = version_cls(*glibc) if version_cls else tuple(glibc)
    patches = {
        "_get_glibc_version": lambda: forced,
        "_have_compatible_abi": lambda *a, **k: True,
    }
    if hasattr(_manylinux, "_get_manylinux_module"):
        patches["_get_manylinux_module"] = lambda: None
    saved = {name: getattr(_manylinux, name) for name in patches if hasattr(_manylinux, name)}
    missing = {"_get_glibc_version", "_have_compatible_abi"} - saved.keys()
    if missing:
        raise SystemExit(f"packaging {packaging.__version__}: _manylinux lacks {sorted(missing)}; adapt this script")
    try:
        for name, fn in patches.items():
            setattr(_manylinux, name, fn)
        params = list(inspect.signature(_manylinux.platform_tags).parameters)
        if params and params[0] == "archs":  # packaging >= 24
            plats = list(_manylinux.platform_tags([arch]))
        else:  # older: platform_tags(linux, arch)
            plats = list(_manylinux.platform_tags(f"linux_{arch}", arch))
    finally:
        for name, fn in saved.items():
            setattr(_manylinux, name, fn)
        if had_mod:
            sys.modules["_manylinux"] = saved_mod  # type: ignore[assignment]
        else:
            del sys.modules["_manylinux"]
    if not plats:
        raise SystemExit(f"no manylinux platforms generated for {arch} glibc {glibc}")
    return plats


def ordered_tags(pyver: tuple[int, int], plats: list[str]) -> dict[packaging.tags.Tag, int]:
    interp = f"cp{pyver[0]}{pyver[1]}"
    tags = list(packaging.tags.cpython_tags(python_version=pyver, abis=[interp], platforms=plats))
    tags += list(packaging.tags.compatible_tags(python_version=pyver, interpreter=interp, platforms=plats))
    rank: dict[packaging.tags.Tag, int] = {}
    for i, t in enumerate(tags):
        rank.setdefault(t, i)
    return rank


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--names", type=Path, default=FIXTURE_DIR / "names.txt")
    ap.add_argument("--expected", type=Path, default=FIXTURE_DIR / "expected.tsv")
    ap.add_argument("--platforms", type=Path, default=FIXTURE_DIR / "platforms.tsv")
    args = ap.parse_args()

    targets = []  # (label, rank map)
    plat_lines = ["target\tplatforms"]
    for runtime, pyver, glibc in RUNTIMES:
        for lambda_arch, wheel_arch in ARCHES:
            label = f"{runtime}/{lambda_arch}"
            plats = manylinux_platforms(wheel_arch, glibc)
            plat_lines.append(f"{label}\t{','.join(plats)}")
            targets.append((label, ordered_tags(pyver, plats)))

    names = [
        line.strip()
        for line in args.names.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    refused: list[tuple[str, str]] = []
    rows = []
    compatible = [0] * len(targets)
    for name in names:
        try:
            _, _, _, tagset = packaging.utils.parse_wheel_filename(name)
        except Exception as exc:  # InvalidWheelFilename and friends
            refused.append((name, str(exc)))
            continue
        cells = []
        for i, (_, rank) in enumerate(targets):
            hits = [rank[t] for t in tagset if t in rank]
            if hits:
                cells.append(str(min(hits)))
                compatible[i] += 1
            else:
                cells.append("-")
        rows.append(name + "\t" + "\t".join(cells))

    header = (
        f"# generated by scripts/gen_tag_fixture.py with packaging {packaging.__version__}; "
        "cell = rank in pip's ordered tag list (0 = most preferred) or - when the wheel does not load"
    )
    cols = "filename\t" + "\t".join(label for label, _ in targets)
    args.expected.write_text("\n".join([header, cols, *rows]) + "\n")
    args.platforms.write_text("\n".join(plat_lines) + "\n")

    print(f"packaging {packaging.__version__}", file=sys.stderr)
    print(f"names: {len(names)}, evaluated: {len(rows)}, refused by packaging: {len(refused)}", file=sys.stderr)
    for name, why in refused:
        print(f"  refused: {name}: {why}", file=sys.stderr)
    for (label, _), n in zip(targets, compatible):
        print(f"  {label}: {n} compatible", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
