"""Run the benchmark suite, print each figure next to its peer, write RESULTS.md and results.json.

python -m benchmarks            # everything except the book build
python -m benchmarks --book     # also time chapter execution and the whole HTML build
python -m benchmarks --quick    # smaller grids (a smoke run)
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import time
from pathlib import Path

import torch

from . import bench_book, bench_live, bench_symmetry, bench_training, bench_widget

HERE = Path(__file__).resolve().parent


def machine() -> dict[str, str | int]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return {
        "cpu": cpu,
        "cores": os.cpu_count() or 0,
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "platform": platform.platform(),
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none",
        "date": time.strftime("%Y-%m-%d"),
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help="smaller grids")
    ap.add_argument("--book", action="store_true", help="also time the chapters and the book build")
    args = ap.parse_args()
    results: dict = {"machine": machine()}
    sections: list[str] = []
    for name, mod in [
        ("training", bench_training),
        ("widget", bench_widget),
        ("symmetry", bench_symmetry),
        ("live", bench_live),  # the built site's live panels in headless Chromium
    ]:
        print(f"\n== {name} ==", flush=True)
        res, md = mod.run(quick=args.quick)
        results[name] = res
        sections.append(md)
        print(md, flush=True)
    previous = (
        json.loads((HERE / "results.json").read_text()) if (HERE / "results.json").exists() else {}
    )
    if not args.book and "book" in previous:
        results["book"] = previous["book"]  # keep the last book timing (and say so below)
    # written now: the book benchmark builds the Performance page, which reads this file
    (HERE / "results.json").write_text(json.dumps(results, indent=1))
    if args.book:
        print("\n== book ==", flush=True)
        res, md = bench_book.run(quick=args.quick)
        results["book"] = res
        sections.append(md)
        print(md, flush=True)
        (HERE / "results.json").write_text(json.dumps(results, indent=1))
    elif "book" in results:
        sections.append("## 4. Book\n\nNot rerun in this run (`--book`); results.json keeps the last timing.\n")
    m = results["machine"]
    header = (
        "# Benchmark results\n\n"
        f"Machine: {m['cpu']}, {m['cores']} cores ({m['torch_threads']} torch threads), GPU: {m['gpu']}; "
        f"Python {m['python']}, torch {m['torch']}; {m['platform']}; run on {m['date']}.\n\n"
        "Written by `python -m benchmarks` (`make bench`); every figure is measured in the same run as "
        "its peer.\n"
    )
    # one block per "## n." heading, in the numbering of the issue (training also writes section 5)
    blocks = re.split(r"(?m)^(?=## \d)", "\n".join(sections))
    blocks = sorted((b for b in blocks if b.strip()), key=lambda b: int(re.match(r"## (\d)", b)[1]))
    (HERE / "RESULTS.md").write_text(header + "\n" + "\n".join(blocks))
    print(f"\nwrote {HERE / 'RESULTS.md'} and {HERE / 'results.json'}")


if __name__ == "__main__":
    main()
