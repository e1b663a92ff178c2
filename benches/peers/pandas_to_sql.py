"""pandas loading a roster into SQLite: read_excel(engine="calamine", header row 2) + to_sql.
Prints the seconds taken. Used by benches/import.rs."""
import os
import sqlite3
import sys
import time

import pandas as pd

path, db = sys.argv[1], sys.argv[2]
if os.path.exists(db):
    os.remove(db)
start = time.perf_counter()
frame = pd.read_excel(path, sheet_name="学员名单", header=1, engine="calamine", dtype={"身份证\n号码": str})
with sqlite3.connect(db) as conn:
    frame.to_sql("people", conn, index=False)
assert len(frame) > 0
print(time.perf_counter() - start)
