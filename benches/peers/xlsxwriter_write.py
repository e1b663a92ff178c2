"""XlsxWriter writing a table of text cells as Ladder's export does: every cell a string in
the text format, a bold wrapped header, column widths, the header frozen, filters on.
Reads the cells (tab-separated, not timed), then prints the seconds the writing took.
Mode: "default" (in memory, to a buffer like Ladder's) or "constant_memory".
Used by benches/export.rs."""
import csv
import io
import sys
import time

import xlsxwriter

path, mode = sys.argv[1], sys.argv[2]
with open(path, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, delimiter="\t"))
header, body = rows[0], rows[1:]
widths = [6, 10, 6, 22, 28, 12, 14, 24, 12, 16, 9, 9, 9, 20]

start = time.perf_counter()
out = io.BytesIO()
options = {"in_memory": True} if mode == "default" else {"constant_memory": True}
book = xlsxwriter.Workbook(out, options)
sheet = book.add_worksheet(body[0][9] if body else "Sheet1")
bold = book.add_format({"bold": True, "text_wrap": True})
text = book.add_format({"num_format": "@"})
for c, h in enumerate(header):
    sheet.write_string(0, c, h, bold)
    sheet.set_column(c, c, widths[c] if c < len(widths) else 12)
for r, row in enumerate(body, start=1):
    for c, v in enumerate(row):
        sheet.write_string(r, c, v, text)
sheet.freeze_panes(1, 0)
sheet.autofilter(0, 0, len(body), len(header) - 1)
book.close()
assert out.getbuffer().nbytes > 0
print(time.perf_counter() - start)
