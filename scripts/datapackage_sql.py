#!/usr/bin/env python3
"""datapackage_sql.py -- load a milecast output set with the right types.

Reads the set's datapackage.json (docs/bi.md) and prints, for every CSV of
the set, what loads it into a table of the same name (forecast.csv ->
forecast) with each column typed as datapackage.json declares it, empty
cells as NULL:

  --dialect duckdb      CREATE OR REPLACE TABLE ... AS SELECT * FROM
                        read_csv(..., columns = {...}) for duckdb
  --dialect sqlite      CREATE TABLE, .import --csv --skip 1 and NULLIF
                        updates, for the sqlite3 shell (3.32 or later)
  --dialect powerquery  one Power Query (M) query per file, for Power BI /
                        Excel: Csv.Document, promoted headers, blanks to
                        null, Table.TransformColumnTypes with culture en-US

  scripts/datapackage_sql.py [--dialect duckdb|sqlite|powerquery] SET_DIR
  scripts/datapackage_sql.py --dialect sqlite milecast-out | sqlite3 forecast.db
  scripts/datapackage_sql.py milecast-out | duckdb forecast.duckdb

SET_DIR is the directory holding datapackage.json (or the file itself);
paths in the output are SET_DIR joined with each resource's path, as given
(make it absolute for a tool started elsewhere). Python 3 standard
library only.
"""
import json
import os
import sys

DUCKDB = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "date": "DATE",
          "boolean": "BOOLEAN"}
SQLITE = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "date": "TEXT",
          "boolean": "INTEGER"}
POWERQUERY = {"string": "type text", "integer": "Int64.Type", "number": "type number",
              "date": "type date", "boolean": "type logical"}


def ident(name):
    return '"' + name.replace('"', '""') + '"'


def sql_str(s):
    return "'" + s.replace("'", "''") + "'"


def m_str(s):
    return '"' + s.replace('"', '""') + '"'


def fields_of(res):
    return [(f["name"], f.get("type", "string")) for f in res["schema"]["fields"]]


def duckdb(resources, base):
    out = []
    for r in resources:
        cols = ", ".join("%s: %s" % (sql_str(n), sql_str(DUCKDB.get(t, "VARCHAR")))
                         for n, t in fields_of(r))
        out.append("CREATE OR REPLACE TABLE %s AS SELECT * FROM read_csv(%s,\n"
                   "    header = true, delim = ',', quote = '\"', escape = '\"', nullstr = '',\n"
                   "    dateformat = '%%Y-%%m-%%d', auto_detect = false,\n"
                   "    columns = {%s});"
                   % (ident(r["name"]), sql_str(os.path.join(base, r["path"])), cols))
    return "\n".join(out)


def sqlite(resources, base):
    out = []
    for r in resources:
        path = os.path.join(base, r["path"])
        if "'" in path:
            raise SystemExit("datapackage_sql: the sqlite3 shell cannot import %s (a quote "
                             "in the path)" % path)
        fields = fields_of(r)
        cols = ",\n".join("  %s %s" % (ident(n), SQLITE.get(t, "TEXT")) for n, t in fields)
        table = ident(r["name"])
        out.append("DROP TABLE IF EXISTS %s;\nCREATE TABLE %s (\n%s\n);" % (table, table, cols))
        out.append(".import --csv --skip 1 '%s' %s" % (path, r["name"]))
        sets = []
        for n, t in fields:
            c = ident(n)
            if t == "boolean":
                sets.append("%s = CASE %s WHEN 'true' THEN 1 WHEN 'false' THEN 0 END" % (c, c))
            else:
                sets.append("%s = NULLIF(%s, '')" % (c, c))
        out.append("UPDATE %s SET %s;" % (table, ", ".join(sets)))
    return "\n".join(out)


def powerquery(resources, base):
    out = []
    for r in resources:
        fields = fields_of(r)
        path = os.path.abspath(os.path.join(base, r["path"]))
        typed = ", ".join("{%s, %s}" % (m_str(n), POWERQUERY.get(t, "type text"))
                          for n, t in fields)
        blanks = ", ".join(m_str(n) for n, t in fields if t != "string")
        out.append("// %s: %s\nlet\n"
                   "    Source = Csv.Document(File.Contents(%s), [Delimiter = \",\", "
                   "Encoding = 65001, QuoteStyle = QuoteStyle.Csv]),\n"
                   "    Headers = Table.PromoteHeaders(Source, [PromoteAllScalars = false]),\n"
                   "    Blanks = Table.ReplaceValue(Headers, \"\", null, Replacer.ReplaceValue, "
                   "{%s}),\n"
                   "    Typed = Table.TransformColumnTypes(Blanks, {%s}, \"en-US\")\n"
                   "in\n    Typed\n"
                   % (r["name"], r["path"], m_str(path), blanks, typed))
    return "\n".join(out)


def main(argv):
    dialect = "duckdb"
    args = []
    i = 0
    while i < len(argv):
        if argv[i] == "--dialect" and i + 1 < len(argv):
            dialect = argv[i + 1]
            i += 2
        elif argv[i].startswith("--dialect="):
            dialect = argv[i].split("=", 1)[1]
            i += 1
        else:
            args.append(argv[i])
            i += 1
    if len(args) != 1 or dialect not in ("duckdb", "sqlite", "powerquery"):
        sys.stderr.write(__doc__)
        return 64
    path = args[0]
    if os.path.isdir(path):
        path = os.path.join(path, "datapackage.json")
    base = os.path.dirname(path)
    try:
        with open(path, "rb") as f:
            pkg = json.loads(f.read().decode("utf-8"))
    except (OSError, ValueError) as e:
        sys.stderr.write("datapackage_sql: %s: %s\n" % (path, e))
        return 66
    resources = pkg.get("resources") or []
    text = {"duckdb": duckdb, "sqlite": sqlite, "powerquery": powerquery}[dialect](resources,
                                                                                  base)
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
