#!/usr/bin/env python3
"""Turns bench/load.sh's oha JSON files into the markdown table of bench/RESULTS.md: each
page's throughput, p50 and p99 at the offered rate, its ratios to the ceiling, the goals.

Usage: load_report.py OUT_DIR RATE FLOOD ENGINES
"""
import json
import os
import sys

out, rate, flood, engines = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
PAGES = [
    ("ceiling", "ceiling: bare axum handler, fixed page", None),
    ("login", "sign-in page (anonymous)", None),
    ("dashboard", "trainee dashboard /progress", ("p99", 10.0)),
    ("overview", "base overview, page 50 of 5,000 trainees", ("p99", 50.0)),
    ("reviewer", "reviewer's list /expert", None),
    ("dashboard-flooded", f"dashboard during {flood} sign-ins/s", ("x quiet", 2.0)),
]


def load(name):
    path = os.path.join(out, f"{name}.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def rate_of(name):
    with open(os.path.join(out, f"{name}.rate")) as f:
        return int(f.read().strip())


def stats(r):
    p = r["latencyPercentiles"]
    codes = r.get("statusCodeDistribution", {})
    total = sum(codes.values())
    ok = codes.get("200", 0)
    return {
        "rps": r["summary"]["requestsPerSec"],
        "p50": p["p50"] * 1000,
        "p99": p["p99"] * 1000,
        "ok": ok,
        "total": total,
    }


failed = False
print("Each page at a fixed offered rate (oha -q, latency-corrected) on loopback; p99 ratios are to the")
print("ceiling (400/s, same run).\n")
print("| engine | page | offered/s | served/s | p50 ms | p99 ms | served ÷ offered | p99 ÷ ceiling's p99 | goal | met |")
print("|---|---|---:|---:|---:|---:|---:|---:|---|---|")
for engine in ["sqlite", "postgres"]:
    if engines not in ("all", engine):
        continue
    ceiling = load(f"{engine}-ceiling")
    if ceiling is None:
        continue
    c = stats(ceiling)
    quiet = stats(load(f"{engine}-dashboard"))
    for key, label, goal in PAGES:
        r = load(f"{engine}-{key}")
        if r is None:
            continue
        s = stats(r)
        goal_text, met = "", ""
        if goal and goal[0] == "p99":
            goal_text, ok = f"p99 < {goal[1]:g} ms", s["p99"] < goal[1]
            met = "yes" if ok else "**no**"
        elif goal:
            goal_text, ok = f"p99 ≤ {goal[1]:g} × quiet", s["p99"] <= goal[1] * quiet["p99"]
            met = f"yes ({s['p99'] / quiet['p99']:.2f}×)" if ok else f"**no** ({s['p99'] / quiet['p99']:.2f}×)"
        if s["ok"] != s["total"]:
            met += f" ({s['total'] - s['ok']} of {s['total']} not 200)"
            failed = True
        print(f"| {engine} | {label} | {rate_of(f'{engine}-{key}')} | {s['rps']:.0f} | {s['p50']:.2f} | {s['p99']:.2f} | "
              f"{s['rps'] / rate_of(f'{engine}-{key}'):.2f} | {s['p99'] / c['p99']:.1f} | {goal_text} | {met} |")
    f = load(f"{engine}-flood")
    if f is not None:
        codes = f.get("statusCodeDistribution", {})
        total = sum(codes.values())
        print(f"| {engine} | the flood itself: {total} sign-ins | {flood} | {f['summary']['requestsPerSec']:.0f} | "
              f"{stats(f)['p50']:.2f} | {stats(f)['p99']:.2f} | | | 429 before any hash | "
              f"{codes.get('429', 0)} × 429, {total - codes.get('429', 0)} other |")
sys.exit(1 if failed else 0)
