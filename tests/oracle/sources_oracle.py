#!/usr/bin/env python3
"""sources_oracle.py — an independent oracle for SPEC §7 "Sources" and
"Nights that go wrong" (folder mode across nights), written from
/work/shared/SPEC.md (§3, §5, §7) and docs/folder-mode.md (the choices made
where the SPEC is silent), never from pkg/*.c or cmd/milecast/run.c.
It implements SPEC §7 independently: a model of the state `milecast run`
keeps between nights (the sources of the set latest/ shows), not a copy of
milecast's code.

    sources_oracle.py SCENARIO.json      # prints one prediction per night (JSON)

SCENARIO.json: {"nights": [NIGHT, ...]} where NIGHT is
    {"as_of": "YYYY-MM-DD",
     "files": [{"name": "salesforce-opps-2026-11-21.csv",
                "mtime": 1795222800,          # seconds since the epoch
                "valid": true,                # false: no usable header (fails)
                "ids": ["OPP-001", ...]}],    # opportunity ids, in row order
     "retire": ["SOURCE", ...],               # --retire (optional)
     "max_age": 35,                           # [inbox] source_max_age_days (optional)
     "keep_days": 90}                         # --keep-days (optional; no effect on rows)
Every file of a night is ready (`--settle 0`, no *.part / *.tmp).

For each night the prediction holds:
  published   whether a new set is published (latest/ moves)
  exit        0 or 65
  nothing_new the run says "nothing new in INBOX"
  rows        [[source_file, opportunity_id], ...] of latest/forecast.csv
              after the run (the previous set's when nothing is published;
              null when there has never been a set)
  sources     [{"source", "export", "date", "mtime", "new"}, ...] of
              latest/run.json, by source name
  inputs      [{"name", "status", "use"}, ...] for the night's files and
              the carried exports (what run.json "inputs" should say)
  ambiguous   null, or why the texts do not decide this night (a test
              generator re-rolls such a night)
  dropped     sources that left the set tonight (--retire or age)
  new_used    names of tonight's exports the new set uses
  used_paths  [date, export] of every export the set uses (for retention)
A retired source's new exports are predicted archived with use "skipped"
(docs/folder-mode.md lists that use; which exports get it is not said).

The model (SPEC §7 + docs/folder-mode.md):
 * source = file name without .csv/.csv.gz (any case) and without its
   stamps: runs of digits joined by - _ : . T standing alone between
   separators (- _ . space) or at an end, each removed with the separator
   before it (after it, at the start); a name that is all stamps keeps its
   stem.
 * per source, tonight's exports ordered by stamp time, then mtime: the
   newest is read; if it fails the next one is (a failed export's source
   keeps the export it had: an older one tonight, else the previous set's);
   the ones older than the one used are superseded (archived, not read).
   A retired source's new exports are skipped (not read).
 * carried: sources of the previous set with no export used tonight, not
   retired, whose export's night is no more than max_age days before as_of.
 * read order: night arrived, then mtime, then name; an opportunity id in
   several exports keeps only the rows of the newest export (later in read
   order); within one export repeated ids keep every row.
 * published when an export of the inbox was read successfully, or (with
   nothing read) when a source left the set by --retire or age; else
   nothing is published. Exit 65 when any export failed, else 0.
"""
import datetime as dt
import json
import re
import sys

SEP = r"\-_. "
STAMP = re.compile(r"(?<![^" + SEP + r"])(?>\d+(?:[-_:.T]\d+)*)(?![^" + SEP + r"])")
EXT = re.compile(r"\.csv(\.gz)?$", re.I)


def stem_of(name):
    return EXT.sub("", name)


def source_of(name):
    """The source of an export file name (docs/folder-mode.md "Sources")."""
    stem = stem_of(name)
    cut = []
    for m in STAMP.finditer(stem):
        a, b = m.start(), m.end()
        if a > 0:
            a -= 1                      # with the separator before it
        elif b < len(stem):
            b += 1                      # at the start: with the one after it
        cut.append((a, b))
    out, pos = [], 0
    for a, b in cut:
        a = max(a, pos)
        out.append(stem[pos:a])
        pos = max(pos, b)
    out.append(stem[pos:])
    src = "".join(out)
    return src if src else stem


def stamp_key(name):
    """Stamps as a time: the digits of all stamps, padded to YYYYMMDDhhmmss."""
    digits = "".join(re.sub(r"\D", "", m.group(0)) for m in STAMP.finditer(stem_of(name)))
    if not digits:
        return 0
    return int(digits.ljust(14, "0")[:14]) if len(digits) <= 14 else int(digits)


def day(s):
    return dt.date.fromisoformat(s)


class Export:
    __slots__ = ("source", "name", "date", "mtime", "ids")

    def __init__(self, source, name, date, mtime, ids):
        self.source, self.name, self.date, self.mtime, self.ids = source, name, date, mtime, list(ids)

    def order(self):
        return (self.date, self.mtime, self.name)


class Oracle:
    def __init__(self):
        self.sources = None      # dict source -> Export of the set latest/ shows; None: no set yet
        self.rows = None
        self._last_sources = None

    # the set latest/ shows, from a run.json "sources" list and a catalogue
    # {(export name, date): ids}; used by a checker to resynchronise.
    def resync(self, sources_json, catalogue):
        if sources_json is None:
            self.sources, self.rows, self._last_sources = None, None, None
            return
        self.sources = {}
        self._last_sources = [dict(s) for s in sources_json]
        for s in sources_json:
            ids = catalogue.get((s["export"], s["date"]), [])
            self.sources[s["source"]] = Export(s["source"], s["export"], s["date"], s["mtime"], ids)
        self.rows = self._rows(list(self.sources.values()))

    @staticmethod
    def _rows(exports):
        exports = sorted(exports, key=Export.order)
        rows = []
        for i, e in enumerate(exports):
            later = set()
            for f in exports[i + 1:]:
                later.update(f.ids)
            rows.extend([e.name, oid] for oid in e.ids if oid not in later)
        return rows

    def step(self, night):
        as_of = night["as_of"]
        retire = set(night.get("retire") or [])
        max_age = night.get("max_age")
        max_age = 35 if max_age is None else max_age
        prev = self.sources or {}

        groups = {}
        for f in night["files"]:
            groups.setdefault(source_of(f["name"]), []).append(f)

        inputs, used, failed, skipped = [], {}, [], []
        for src, fs in sorted(groups.items()):
            if src in retire:
                for f in fs:
                    skipped.append(f)
                    inputs.append({"name": f["name"], "status": "archived", "use": "skipped"})
                continue
            fs = sorted(fs, key=lambda f: (stamp_key(f["name"]), f["mtime"]), reverse=True)
            chosen = None
            for f in fs:
                if chosen is not None:
                    inputs.append({"name": f["name"], "status": "archived", "use": "superseded"})
                elif f["valid"]:
                    chosen = f
                    used[src] = Export(src, f["name"], as_of, f["mtime"], f["ids"])
                    inputs.append({"name": f["name"], "status": "archived", "use": "used"})
                else:
                    failed.append(f)
                    inputs.append({"name": f["name"], "status": "failed", "use": None})

        dropped, carried = [], {}
        for src, e in prev.items():
            if src in used:
                continue
            if src in retire or (day(as_of) - day(e.date)).days > max_age:
                dropped.append(src)
                continue
            carried[src] = e
            inputs.append({"name": e.name, "status": "carried", "use": "carried"})

        new_set = dict(carried)
        new_set.update(used)
        ambiguous = None
        if used:
            published = True
        elif failed:
            published = False
            if dropped:
                ambiguous = "every new export failed while a source left by --retire/age"
        elif dropped:
            published = True
            if not new_set:
                ambiguous = "the last source left: an empty set"
        else:
            published = False
            if skipped:
                ambiguous = "only skipped exports of a retired source not in the set"
        if published and not new_set:
            ambiguous = ambiguous or "an empty set"

        nothing_new = not night["files"] and not published
        if published:
            self.sources = new_set
            self.rows = self._rows(list(new_set.values()))
        newnames = {e.name for e in used.values()}
        srcs = None
        if self.sources is not None:
            srcs = [{"source": s, "export": e.name, "date": e.date, "mtime": e.mtime,
                     "new": published and e.date == as_of and s in used}
                    for s, e in sorted(self.sources.items(), key=lambda kv: kv[0].encode())]
            if not published:
                srcs = self._last_sources
        if published:
            self._last_sources = srcs
        return {
            "as_of": as_of,
            "published": published,
            "exit": 65 if failed else 0,
            "nothing_new": nothing_new,
            "rows": None if self.rows is None else [list(r) for r in self.rows],
            "sources": srcs,
            "inputs": inputs,
            "ambiguous": ambiguous,
            "dropped": sorted(dropped) if published else [],
            "used_paths": sorted((e.date, e.name) for e in (self.sources or {}).values()),
            "new_used": sorted(newnames) if published else [],
        }


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 64
    with open(argv[1]) as fh:
        scen = json.load(fh)
    o = Oracle()
    out = [o.step(n) for n in scen["nights"]]
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
