"""Groups `perf script -F ip,sym` samples by phase and prints each phase's share.

Each argument is a substring of a function name. A sample counts for the
phase of its innermost frame that matches an argument, so a phase nested in
another takes the samples spent inside it. Samples matching none are
counted as `other`. With `--within NAME` first, only samples with NAME on
their stack count, so the shares are of the time spent inside NAME.
"""

import collections
import sys


def stacks(text):
    """Yields each sample's function names, innermost first."""
    for block in text.split("\n\n"):
        frames = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if frames:
            yield [frame.split(" ", 1)[1] if " " in frame else frame for frame in frames]


def main():
    phases = sys.argv[1:]
    within = None
    if phases[:1] == ["--within"]:
        within, phases = phases[1], phases[2:]
    counts = collections.Counter()
    total = 0
    for frames in stacks(sys.stdin.read()):
        if within and not any(within in frame for frame in frames):
            continue
        total += 1
        phase = next((p for frame in frames for p in phases if p in frame), "other")
        counts[phase] += 1
    if total == 0:
        sys.exit("no samples on standard input")
    for phase, count in counts.most_common():
        print(f"{100 * count / total:6.1f}%  {phase}")
    print(f"{total} samples")


if __name__ == "__main__":
    main()
