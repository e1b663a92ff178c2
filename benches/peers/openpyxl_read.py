"""openpyxl's bare parse of a roster: load_workbook(read_only=True), every row iterated.
Prints the seconds taken. Used by benches/import.rs."""
import sys
import time

import openpyxl

start = time.perf_counter()
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
sheet = book["学员名单"]
cells = 0
for row in sheet.iter_rows(values_only=True):
    cells += sum(1 for v in row if v is not None)
book.close()
assert cells > 0
print(time.perf_counter() - start)
