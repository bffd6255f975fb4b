"""Read the collapsed stacks of ``bench_desk.py --py-spy DIR``: per file, the share of the samples
(inclusive) of the functions that take the most, our code first.

Run: ``.venv/bin/python bench/spy_summary.py DIR [--top 25] [--match dongthap]``
"""

from collections import Counter
from pathlib import Path

import argparse


def summary(path, top, match):
    inclusive, total = Counter(), 0
    for line in Path(path).read_text().splitlines():
        stack, _sep, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        count = int(count)
        frames = stack.split(";")
        if not any("publish" in f for f in frames):  # idle threads: not a request
            continue
        total += count
        for frame in dict.fromkeys(f.rsplit(":", 1)[0] if f.rstrip(")").rsplit(":", 1)[-1].isdigit()
                                   else f for f in frames):
            if match in frame:
                inclusive[frame] += count
    print(f"== {Path(path).name}: {total} samples in requests")
    for frame, count in inclusive.most_common(top):
        print(f"{100 * count / max(total, 1):5.1f}%  {frame[:150]}")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default="")
    args = parser.parse_args(argv)
    for path in sorted(Path(args.directory).glob("*.txt")):
        summary(path, args.top, args.match)


if __name__ == "__main__":
    main()
