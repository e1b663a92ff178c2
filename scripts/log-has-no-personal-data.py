#!/usr/bin/env python3
"""Fails when a server log holds an ID number or phone number of anyone in the database.

Usage: log-has-no-personal-data.py SERVER_LOG SQLITE_DB

The browser tests drive the demo through every role (sign-ins, imports, records, the review);
afterwards every ID number and phone the database holds, including those the tests entered,
is looked for in the server's log, verbatim. The log must also hold the request lines, so an
empty or silent log cannot pass.
"""
import sqlite3
import sys


def main() -> int:
    log_path, db_path = sys.argv[1], sys.argv[2]
    with open(log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    secrets = set()
    for table, columns in [("people", ["id_number", "phone"]), ("objections", ["contact"])]:
        for column in columns:
            try:
                rows = db.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")
            except sqlite3.OperationalError:
                continue
            secrets.update(v.strip() for (v,) in rows if v and len(v.strip()) >= 7)
    requests = log.count("ladder::request")
    leaks = sorted(s for s in secrets if s in log)
    print(f"  {len(secrets)} ID and phone numbers looked for in {requests} request lines "
          f"and the rest of the log ({len(log)} bytes)")
    if requests < 100:
        print("  the log holds too few request lines to prove anything", file=sys.stderr)
        return 1
    if len(secrets) < 40:
        print("  the database holds too few ID and phone numbers to prove anything", file=sys.stderr)
        return 1
    for s in leaks:
        line = next(l for l in log.splitlines() if s in l)
        masked = s[:3] + "…" + s[-2:]
        print(f"  the log holds {masked}: {line[:200].replace(s, masked)}", file=sys.stderr)
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
