#!/usr/bin/env bash
# Benchmarks against peers (issue 7; README "Benchmarks against peers"), side by side on this
# machine and the same generated files. Not part of the test command.
#
#   1. roster import: parse + validate (and commit) of a 100,000-row .xlsx vs Python openpyxl
#      (read_only) and pandas (calamine + to_sql)            — benches/import.rs
#   2. xlsx export of that roster vs Python XlsxWriter and pandas to_excel — benches/export.rs
#   3. scoring throughput: 100,000 people x 25 records        — benches/scoring.rs
#   4. roster import as a user runs it: `ladder import roster` on a 100,000-row .xlsx, first
#      commit and the unchanged file again, SQLite and PostgreSQL, vs pandas — bench/import-command.sh
#
# Installs the Python peers with pip when missing. Prints markdown for bench/RESULTS.md and keeps
# each benchmark's whole output in target/bench/peers/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
OUT=target/bench/peers
mkdir -p "$OUT"
say() { printf '== %s\n' "$*" >&2; }

python3 -c "import openpyxl, pandas, python_calamine, xlsxwriter" 2>/dev/null ||
  python3 -m pip install -q openpyxl pandas python-calamine XlsxWriter >&2

for b in import export scoring; do
  say "cargo bench --bench $b"
  cargo bench --no-default-features --features ssr --bench "$b" >"$OUT/$b.txt"
done

python3 - "$OUT" <<'PY'
import platform, re, subprocess, sys
out = sys.argv[1]
def ver(mod):
    try:
        return subprocess.run([sys.executable, "-c", f"import {mod}; print({mod}.__version__)"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except Exception:
        return "?"
print(f"Python {platform.python_version()}, openpyxl {ver('openpyxl')}, pandas {ver('pandas')}, "
      f"XlsxWriter {ver('xlsxwriter')}\n")
for name, title in [("import", "Roster import"), ("export", "Roster export (.xlsx)")]:
    text = open(f"{out}/{name}.txt", encoding="utf-8").read()
    print(f"#### {title}\n")
    print("\n".join(l for l in text.splitlines() if l.startswith("|")))
    rest = [l for l in text.splitlines() if l.startswith(("peak", "goals"))]
    if rest:
        print("\n" + "\n\n".join(rest))
    print()
text = open(f"{out}/scoring.txt", encoding="utf-8").read()
print("#### Scoring throughput\n")
print("```\n" + "\n".join(l for l in text.splitlines() if l.strip()) + "\n```")
PY
say "bench/import-command.sh"
echo
echo "#### Roster import as the command runs it"
echo
bench/import-command.sh
