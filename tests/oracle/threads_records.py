#!/usr/bin/env python3
"""threads_records.py — milecast's row accounting against Python's csv module.

Used by tests/e2e/t_threads.sh on the outputs of one `milecast forecast` of
one export (standard library only, nothing of milecast's). Python reads the
export (a .gz through gzip; a BOM dropped) and counts its records: every row
after the header that is not a blank line. Then, per SPEC §2 ("rows read =
rows in forecast.csv + rows in rejects.csv + trailer and subtotal rows
skipped"):
  - the summary line on stderr ("N rows read from ...: F forecast, R
    rejected, S trailer/subtotal rows skipped") says N = Python's count,
    N = F + R + S, F = the rows of forecast.csv, R = the rows of rejects.csv
    (those of this export, by source_file);
  - every source_line of forecast.csv is the physical line (1-based, every
    LF counted, those inside quoted fields too) on which Python's record
    starts, that record's first field is the row's opportunity_id, and the
    lines rise (input order);
  - every source_line of rejects.csv starts a record too, no line is both
    forecast and rejected, and the records left over number S.
Prints one line per finding and exits 1 on any, 0 with "ok N records".

Usage: threads_records.py EXPORT SOURCE_FILE OUTDIR STDERR_FILE
"""
import csv
import gzip
import io
import re
import sys


def records(path):
    """[(start_line, first_field)] of every record after the header."""
    raw = gzip.open(path, "rb").read() if path.endswith(".gz") else open(path, "rb").read()
    text = raw.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    out, prev, header = [], 0, True
    for row in reader:
        start, prev = prev + 1, reader.line_num
        if not row:
            continue            # a blank line: libcsv skips it, so do we
        if header:
            header = False
            continue
        out.append((start, row[0].strip(" \t")))
    return out


def outputs(path, source):
    with open(path, newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["source_file"] == source]


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: threads_records.py EXPORT SOURCE_FILE OUTDIR STDERR_FILE")
    export, source, outdir, errfile = sys.argv[1:]
    bad = []
    recs = records(export)
    first = dict(recs)
    fc = outputs(outdir + "/forecast.csv", source)
    rj = outputs(outdir + "/rejects.csv", source)
    m = None
    for line in open(errfile, encoding="utf-8", errors="replace"):
        m = re.search(r"(\d+) rows read from \d+ file\(s\): (\d+) forecast, (\d+) rejected, "
                      r"(\d+) trailer/subtotal rows skipped", line) or m
    if not m:
        print("no summary line on stderr")
        return 1
    n, f, r, s = (int(x) for x in m.groups())
    if n != len(recs):
        bad.append("rows read %d, Python sees %d records" % (n, len(recs)))
    if n != f + r + s:
        bad.append("rows read %d != %d forecast + %d rejected + %d skipped" % (n, f, r, s))
    if f != len(fc):
        bad.append("summary says %d forecast, forecast.csv has %d rows" % (f, len(fc)))
    if r != len(rj):
        bad.append("summary says %d rejected, rejects.csv has %d rows" % (r, len(rj)))
    last = 0
    for row in fc:
        line = int(row["source_line"])
        if line not in first:
            bad.append("forecast.csv: source_line %d starts no record (id %s)"
                       % (line, row["opportunity_id"]))
        elif first[line] != row["opportunity_id"]:
            bad.append("forecast.csv: line %d starts record %r, the row says %r"
                       % (line, first[line], row["opportunity_id"]))
        if line <= last:
            bad.append("forecast.csv: source_line %d after %d (not input order)" % (line, last))
        last = line
    fl = {int(x["source_line"]) for x in fc}
    rl = [int(x["source_line"]) for x in rj]
    for line in rl:
        if line not in first:
            bad.append("rejects.csv: source_line %d starts no record" % line)
        if line in fl:
            bad.append("line %d is both forecast and rejected" % line)
    left = len(set(first) - fl - set(rl))
    if left != s:
        bad.append("%d records neither forecast nor rejected, summary says %d skipped" % (left, s))
    for b in bad[:20]:
        print(b)
    if bad:
        return 1
    print("ok %d records" % len(recs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
