#!/usr/bin/env python3
"""datapackage_check.py -- checks an output set against its datapackage.json.

Written from the Frictionless Data Package / Table Schema v1 text and
docs/bi.md alone (Python standard library only; nothing of milecast's code).
For each DIR given (a `forecast --out`, a `backtest --out`, a folder-mode
history set):

  - DIR/datapackage.json is JSON with profile tabular-data-package and a
    resource per CSV: the resources' paths are exactly the *.csv files of
    DIR (no more, no fewer), each named once;
  - each resource is a CSV (dialect: ',' '"' header, UTF-8, LF) whose
    schema has missingValues [""] and fields whose names are the file's
    header columns, in order; types are string / integer / number / date /
    boolean, dates with format %Y-%m-%d;
  - every value of every column parses as its declared type ("" is missing
    and always allowed): integer -?(0|[1-9][0-9]*), number the same with an
    optional fraction (no exponent, no grouping, no "+"), date a real
    calendar day YYYY-MM-DD, boolean true/false; every row has as many
    fields as the header;
  - every field has a one-line description;
  - one number format per column: every value of a number column has the
    same count of decimals (an amount 2, a rate 4, a median 1).

  tests/oracle/datapackage_check.py [--quiet] DIR...

Prints one line per set ("DIR: N resources, M values") and one line per
problem; exits 0 when every set passed, 1 otherwise, 2 on bad usage.
"""
import csv
import datetime
import io
import json
import os
import re
import sys

INTEGER = re.compile(r"-?(0|[1-9][0-9]*)\Z")
NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.([0-9]+))?\Z")
DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
TYPES = {"string", "integer", "number", "date", "boolean"}

csv.field_size_limit(1 << 30)


class Problems:
    def __init__(self, where):
        self.where = where
        self.n = 0

    def __call__(self, msg):
        self.n += 1
        if self.n <= 50:
            print("datapackage_check: %s: %s" % (self.where, msg))
        elif self.n == 51:
            print("datapackage_check: %s: (more problems not shown)" % self.where)


def parses(value, ftype):
    """Whether value (not empty) is a valid ftype; for numbers also the
    count of decimals, else None."""
    if ftype == "string":
        return True, None
    if ftype == "integer":
        return INTEGER.match(value) is not None, None
    if ftype == "number":
        m = NUMBER.match(value)
        if not m:
            return False, None
        return True, len(m.group(3) or "")
    if ftype == "date":
        m = DATE.match(value)
        if not m:
            return False, None
        try:
            datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return False, None
        return True, None
    if ftype == "boolean":
        return value in ("true", "false"), None
    return False, None


def check_resource(d, res, bad):
    """Checks one resource's file; returns the number of values checked."""
    path = res.get("path")
    schema = res.get("schema") or {}
    fields = schema.get("fields")
    if schema.get("missingValues") != [""]:
        bad("%s: missingValues is %r, want [\"\"]" % (path, schema.get("missingValues")))
    for key, want in (("profile", "tabular-data-resource"), ("format", "csv"),
                      ("encoding", "utf-8")):
        if res.get(key) != want:
            bad("%s: %s is %r, want %r" % (path, key, res.get(key), want))
    dialect = res.get("dialect") or {}
    if dialect.get("delimiter", ",") != "," or dialect.get("header", True) is not True:
        bad("%s: dialect %r is not comma-separated with a header" % (path, dialect))
    if not isinstance(fields, list) or not fields:
        bad("%s: no schema fields" % path)
        return 0
    types = []
    for f in fields:
        t = f.get("type")
        if t not in TYPES:
            bad("%s: field %r has type %r" % (path, f.get("name"), t))
        if t == "date" and f.get("format") not in ("%Y-%m-%d", "default", None):
            bad("%s: date field %r has format %r" % (path, f.get("name"), f.get("format")))
        if not isinstance(f.get("name"), str) or not f.get("name"):
            bad("%s: a field without a name" % path)
        desc = f.get("description")
        if not isinstance(desc, str) or not desc or "\n" in desc:
            bad("%s: field %r has no one-line description" % (path, f.get("name")))
        types.append(t)
    names = [f.get("name") for f in fields]
    try:
        with open(os.path.join(d, path), "rb") as fh:
            raw = fh.read()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        bad("%s: cannot read as UTF-8: %s" % (path, e))
        return 0
    if text.startswith("\ufeff"):
        bad("%s: starts with a BOM" % path)
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(rows)
    except StopIteration:
        bad("%s: empty file, no header" % path)
        return 0
    except csv.Error as e:
        bad("%s: header: %s" % (path, e))
        return 0
    if header != names:
        bad("%s: header %s, datapackage.json lists %s" % (path, ",".join(header),
                                                          ",".join(map(str, names))))
        return 0
    decimals = [None] * len(names)
    values = 0
    line = 1
    try:
        for row in rows:
            line += 1
            if len(row) != len(names):
                bad("%s:%d: %d fields, header has %d" % (path, line, len(row), len(names)))
                continue
            for i, v in enumerate(row):
                values += 1
                if v == "":
                    continue
                ok, dec = parses(v, types[i])
                if not ok:
                    bad("%s:%d: %s = %r is not a %s" % (path, line, names[i], v, types[i]))
                    continue
                if dec is not None:
                    if decimals[i] is None:
                        decimals[i] = (dec, v, line)
                    elif decimals[i][0] != dec:
                        bad("%s:%d: %s = %r has %d decimal(s), line %d has %r" %
                            (path, line, names[i], v, dec, decimals[i][2], decimals[i][1]))
    except csv.Error as e:
        bad("%s:%d: %s" % (path, line, e))
    return values


def check_set(d, quiet):
    bad = Problems(d)
    try:
        with open(os.path.join(d, "datapackage.json"), "rb") as fh:
            pkg = json.loads(fh.read().decode("utf-8"))
    except (OSError, ValueError) as e:
        bad("datapackage.json: %s" % e)
        return False
    if pkg.get("profile") != "tabular-data-package":
        bad("profile is %r, want tabular-data-package" % pkg.get("profile"))
    resources = pkg.get("resources")
    if not isinstance(resources, list):
        bad("no resources list")
        return False
    csvs = sorted(n for n in os.listdir(d)
                  if n.endswith(".csv") and not n.startswith(".") and
                  os.path.isfile(os.path.join(d, n)))
    paths = [r.get("path") for r in resources]
    if sorted(paths) != csvs:
        bad("resources %s, the set's CSV files %s" % (" ".join(map(str, paths)), " ".join(csvs)))
    rnames = [r.get("name") for r in resources]
    if len(set(rnames)) != len(rnames) or not all(
            isinstance(n, str) and re.match(r"[a-z0-9._-]+\Z", n) for n in rnames):
        bad("resource names %r: not unique lower-case names" % rnames)
    if len(set(paths)) != len(paths):
        bad("a path listed twice: %r" % paths)
    values = 0
    for r in resources:
        if r.get("path") in csvs:
            values += check_resource(d, r, bad)
    if not quiet or bad.n:
        print("datapackage_check: %s: %d resources, %d values%s" %
              (d, len(resources), values, "" if not bad.n else ", %d problem(s)" % bad.n))
    return bad.n == 0


def main(argv):
    quiet = False
    if argv and argv[0] == "--quiet":
        quiet = True
        argv = argv[1:]
    if not argv:
        print(__doc__.strip().split("\n\n")[-2], file=sys.stderr)
        return 2
    ok = True
    for d in argv:
        ok = check_set(d, quiet) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
