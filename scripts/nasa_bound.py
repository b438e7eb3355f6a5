#!/usr/bin/env python3
"""What the NASA replay's issue-5 target asks for, in instance-hours (stdlib only).

Reads the replay's series (unique_id,ds,y; y = vCPU demand of each minute, scripts/replay-bench.sh
writes it) and measures, on the simulated cloud's terms (c-large: 2 vCPU, $0.085/h; one instance
always needed), what any policy must hold to leave at most `--misses` minutes with demand above
capacity:

1. how the minutes above one instance's capacity fall: in how many runs, how many single-minute;
2. reactive rules (a second instance for 5 minutes after a minute above a threshold, seen `lag`
   minutes late as a boot delay imposes): extra cost and the minutes they still miss;
3. the same rules plus *perfect foresight of which hours hold a burst the rule misses* (the
   second instance for all of each such hour): the cheapest way to miss nothing when a forecaster
   knows the hour but not the minute. How many such hours there are says how exactly a forecaster
   would have to pick them.

Costs are instance-minutes × price, without the boot-time billing and minimum holds the simulated
cloud adds, so every figure here is a lower bound on a policy's cost.
"""
import argparse
import csv


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("series", help="unique_id,ds,y CSV, y in vCPU per minute")
    ap.add_argument("--vcpu", type=float, default=2.0, help="vCPU of one instance (c-large: 2)")
    ap.add_argument("--price", type=float, default=0.085, help="price per instance-hour (c-large: 0.085)")
    ap.add_argument("--hold", type=int, default=5, help="minutes a reactive rule keeps the second instance")
    args = ap.parse_args()

    with open(args.series, newline="") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0][:3] != ["unique_id", "ds", "y"]:
        raise SystemExit(f"{args.series}:1: expected the header unique_id,ds,y")
    demand = []
    for i, r in enumerate(rows[1:], start=2):
        try:
            demand.append(float(r[2]))
        except (IndexError, ValueError):
            raise SystemExit(f"{args.series}:{i}: y is not a number: {r!r}")
    n = len(demand)
    minute_price = args.price / 60
    base = n * minute_price
    over = [t for t in range(n) if demand[t] > args.vcpu]
    runs, prev = [], -2
    for t in over:
        if t == prev + 1:
            runs[-1] += 1
        else:
            runs.append(1)
        prev = t
    print(f"{n} minutes; one instance throughout ${base:.2f}; {len(over)} minutes above {args.vcpu:g} vCPU "
          f"in {len(runs)} runs ({sum(1 for r in runs if r == 1)} of a single minute)")
    print(f"{'rule':<28} {'extra $':>8} {'misses':>7} | {'+ hour foresight: extra $':>25} {'total $':>8} {'hours to pick':>13}")
    for lag in (1, 2):
        for threshold in (1.0, 1.2, 1.4, 1.54, 1.7, 1.9):
            held = [False] * n
            for t in range(lag, n):
                first = max(0, t - lag - args.hold + 1)
                held[t] = any(demand[s] > threshold for s in range(first, t - lag + 1))
            missed = [t for t in over if not held[t]]
            hours = {t // 60 for t in missed}
            with_foresight = held[:]
            for h in hours:
                for t in range(h * 60, min(n, h * 60 + 60)):
                    with_foresight[t] = True
            extra = sum(held) * minute_price
            extra_f = sum(with_foresight) * minute_price
            print(f"lag {lag} min, above {threshold:<4g} vCPU  {extra:8.2f} {len(missed):7d} | "
                  f"{extra_f:25.2f} {base + extra_f:8.2f} {len(hours):13d}")


if __name__ == "__main__":
    main()
