"""pandas exporting a cohort's roster: the same rows read from Ladder's SQLite database with
read_sql, written with to_excel(engine="xlsxwriter") to a buffer. No masking, no neutralising.
Prints the seconds taken. Used by benches/export.rs."""
import io
import sqlite3
import sys
import time

import pandas as pd

db, cohort = sys.argv[1], sys.argv[2]
start = time.perf_counter()
with sqlite3.connect(db) as conn:
    frame = pd.read_sql(
        """SELECT p.name, p.id_number, p.gender, u.name AS unit, m.position, p.phone, p.email,
                  m.education, k.code AS cohort, m.hours_theory, m.hours_practicum, m.score, m.note
           FROM cohort_members m JOIN people p ON p.id = m.person_id
           JOIN cohorts k ON k.id = m.cohort_id LEFT JOIN units u ON u.id = p.unit_id
           WHERE k.code = ? ORDER BY p.name, p.id""",
        conn,
        params=(cohort,),
    )
out = io.BytesIO()
frame.to_excel(out, engine="xlsxwriter", sheet_name=cohort, index=True)
assert len(frame) > 0
print(time.perf_counter() - start)
