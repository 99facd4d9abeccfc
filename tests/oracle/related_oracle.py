#!/usr/bin/env python3
"""related_oracle.py — an independent oracle for SPEC §6 (evidence from
related records), written from /work/shared/SPEC.md and the implementer's
stated decisions, never from pkg/*.c.

    related_oracle.py --as-of 2026-11-23 --out DIR [--rules FILE]
                      [--kind FILE=KIND] [--map KIND.FIELD=HEADER]
                      [--date-order mdy|dmy] FILE...

Writes DIR/forecast.csv (opportunity_id, gate, milestones, evidence,
last_activity_date, days_since_last_activity, stage_entered_date,
days_in_stage, close_date_pushes), DIR/evidence.csv (SPEC §6 "Output") and
DIR/counts.txt (the per-file log lines of SPEC §6 "Joining") and
DIR/rejects.txt (FILE,LINE of each rejected evidence row).

Scope: header recognition covers the shapes of fixtures/related (Salesforce
Data Loader and report exports, a generic export with --map); it is not a
second copy of §2's header patterns.
Stdlib only (csv, datetime, re, sys, argparse; zoneinfo only when a rules
file names a [report] time_zone other than UTC).
"""
import argparse
import csv
import datetime as dt
import re
import sys

UTC = dt.timezone.utc

# ---------------------------------------------------------------- rules ----
# SPEC §1 milestone ids, in rules order, and SPEC §6's built-in table.
MILESTONES = [
    "inbound_interest", "outbound_interest", "qualitative_call", "discovery_call",
    "nda_received", "timeline_confirmed", "executive_sponsor", "decision_criteria",
    "commercial_terms", "short_listed", "contracting_process", "contracts_redline",
    "pain_quantified", "verbal_commitment",
]
ACTIVITY = {  # SPEC §6 "Built-in defaults": (?i)\b(...)\b as re.I
    "inbound_interest": r"\binbound\b",
    "qualitative_call": r"\b(qualification|qualifying|intro|introductory|introduction)\b",
    "discovery_call": r"\b(discovery|demo|demonstration)\b",
    "nda_received": r"\b(nda|non-disclosure)\b",
    "timeline_confirmed": r"\b(timeline|close plan|mutual plan|mutual action plan)\b",
    "decision_criteria": r"\b(rfp|requirements|evaluation criteria|security review)\b",
    "commercial_terms": r"\b(proposal|quote|pricing)\b",
    "short_listed": r"\b(shortlist|short-list|shortlisted|finalist)\b",
    "contracting_process": r"\b(procurement|legal review|purchase order)\b",
    "contracts_redline": r"\b(redline|redlines|redlined|contract sent)\b",
    "pain_quantified": r"\b(roi|business case)\b",
    "verbal_commitment": r"\b(verbal|verbally)\b",
}
ROLE = {"executive_sponsor": ["Executive Sponsor", "Economic Buyer",
                              "Economic Decision Maker", "Decision Maker"]}
STAGE = {}  # SPEC §6: "stage has no default"
# SPEC §1 default gates, bottom to top; each requirement is a list of
# alternatives (a|b); go_live_date is the go-live requirement.
GATES = [
    ("interest", [["inbound_interest", "outbound_interest", "qualitative_call"]]),
    ("pain_power", [["discovery_call"], ["executive_sponsor"], ["pain_quantified"]]),
    ("money_effort", [["decision_criteria"], ["commercial_terms"], ["timeline_confirmed"]]),
    ("decision_steps", [["short_listed"], ["contracting_process"], ["go_live_date"]]),
    ("verbal", [["verbal_commitment", "contracts_redline"]]),
]


def strip_pattern(p):
    """`(?i)PATTERN` -> (PATTERN, re.I); empty -> None."""
    p = p.strip()
    if not p:
        return None
    return p[4:] if p.startswith("(?i)") else p


def read_rules(path, report):
    """A partial rules file: keys given replace the defaults (SPEC §3/§6)."""
    section = None
    for raw in open(path, encoding="utf-8"):
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        m = re.match(r'\[(\w+)(?:\s+"([^"]*)")?\]$', line)
        if m:
            section = (m.group(1), m.group(2))
            continue
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if section == ("report", None):
            report[key] = value
        elif section and section[0] == "milestone":
            mid = section[1]
            if mid not in MILESTONES:
                MILESTONES.append(mid)
            lst = [v.strip() for v in value.split(",") if v.strip()]
            if key == "activity":
                ACTIVITY[mid] = strip_pattern(value)
            elif key == "role":
                ROLE[mid] = lst
            elif key == "stage":
                STAGE[mid] = lst


# ---------------------------------------------------------------- dates ----
MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}
ISO_DT = re.compile(r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?"
                    r"\s*(Z|[+-]\d\d:?\d\d)?$")


class BadDate(Exception):
    pass


def parse_when(text, date_order, tz):
    """SPEC §2 date forms. Returns (date in tz, utc datetime or None) or None
    for an empty cell; raises BadDate when unreadable. Decision 3: datetimes
    with an offset are converted to UTC, without one taken as UTC, then
    dated in [report] time_zone; pure dates are never shifted."""
    s = text.strip()
    if s == "" or s == "#N/A":
        return None
    try:
        m = ISO_DT.match(s)
        if m:
            y, mo, d, h, mi = (int(m.group(i)) for i in range(1, 6))
            sec = int(m.group(6) or 0)
            off = m.group(7)
            when = dt.datetime(y, mo, d, h, mi, sec, tzinfo=UTC)
            if off and off != "Z":
                sign = 1 if off[0] == "+" else -1
                hh, mm = int(off[1:3]), int(off[-2:])
                when = when - sign * dt.timedelta(hours=hh, minutes=mm)
            return when.astimezone(tz).date(), when
        m = re.match(r"(\d{4})-(\d\d)-(\d\d)$", s)
        if m:
            return dt.date(*map(int, m.groups())), None
        m = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})$", s)
        if m:
            a, b, y = map(int, m.groups())
            mo, d = (a, b) if date_order == "mdy" else (b, a)
            return dt.date(y, mo, d), None
        m = re.match(r"([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4})$", s)
        if m and m.group(1).lower() in MONTHS:
            return dt.date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2))), None
    except ValueError:
        pass
    raise BadDate(s)


def as_utc(when):
    """Order key for stage-history changed_at: the instant (a pure date is
    midnight UTC)."""
    d, t = when
    return t if t is not None else dt.datetime(d.year, d.month, d.day, tzinfo=UTC)


# ------------------------------------------------------------------ ids ----
SFID = re.compile(r"^[0-9A-Za-z]{15}(?:[0-9A-Za-z]{3})?$")


def sf18(id15):
    """EVIDENCE §1.7: per 5-char chunk, bit i set when char i is A-Z;
    0-25 -> 'A'-'Z', 26-31 -> '0'-'5'."""
    out = id15
    for c in range(3):
        n = sum(1 << i for i, ch in enumerate(id15[c * 5:c * 5 + 5]) if "A" <= ch <= "Z")
        out += "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[n]
    return out


def is_sfid(s):
    """Decision 7: 15 or 18 alphanumerics, not all digits."""
    return bool(SFID.match(s)) and not s.isdigit()


def id_key(s):
    """Decision 7 / SPEC §6: Salesforce ids compare in 18-char form (the
    first 15 kept case-sensitively, the suffix computed); others as written.
    Never case-insensitive."""
    s = s.strip()
    return sf18(s[:15]) if is_sfid(s) else s


# --------------------------------------------------------------- reading ----
TRAILER = re.compile(r"^(Grand Totals \(\d+ records?\)|Confidential Information"
                     r"|Copyright \(c\))")


def records(path):
    """Yield (line, header, cells) with line = the physical line where the
    record starts (header = line 1). SPEC §2: a Salesforce report's trailer
    (a blank line, Grand Totals, Confidential, Copyright) is skipped and not
    counted (decision 10)."""
    rd = reader(path)
    header = [h.strip() for h in next(rd)]
    end = rd.line_num
    for cells in rd:
        start, end = end + 1, rd.line_num
        if not any(c.strip() for c in cells):
            continue
        if TRAILER.match(cells[0].strip()):
            continue
        yield start, header, cells


def reader(path):
    """SPEC §2: UTF-8 with or without BOM, else Windows-1252; the delimiter
    (, ; tab |) told from the header line."""
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    lines = text.splitlines(keepends=True)
    first = lines[0] if lines else ""
    delim = max([",", ";", "\t", "|"], key=first.count)
    return csv.reader(lines, delimiter=delim)


def header_of(path):
    return [h.strip() for h in next(reader(path))]


# Header recognition per kind (lower-cased header text), fixture-scoped.
FIELDS = {
    "activities": {
        "opportunity_ref": ["whatid", "opportunityid", "opportunity id",
                            "associated deal ids"],
        "subject": ["subject"], "status": ["status"], "closed": ["isclosed", "closed"],
        "date": ["activitydate", "date", "due date", "activity date"],
        "start": ["activitydatetime", "start"], "end": ["enddatetime", "end"],
        "duration_minutes": ["durationinminutes", "duration"],
        "deleted": ["isdeleted", "deleted"], "created": ["createddate", "created date"],
    },
    "stage_history": {
        "opportunity_ref": ["opportunityid", "opportunity id"],
        "stage": ["stagename", "stage name", "to stage"],
        "changed_at": ["createddate", "created date"],
        "close_date": ["closedate", "close date"],
    },
    "contact_roles": {
        "opportunity_ref": ["opportunityid", "opportunity id"],
        "role": ["role"], "created_at": ["createddate", "created date"],
    },
    "opportunities": {
        "opportunity_id": ["id", "opportunity id", "record id"],
        "stage": ["stagename", "stage", "deal stage"],
        "is_closed": ["isclosed", "closed"], "is_won": ["iswon", "won"],
        "go_live_date": ["go_live_date__c", "go-live date", "go live date"],
        # §1 milestone evidence columns present in the fixtures
        "verbal_commitment": ["verbal_commitment_date__c", "verbal commitment date"],
    },
}


OPP_ID_HEADERS = set()  # lower-cased id-column headers of the opportunities exports


def detect_kind(header):
    """SPEC §6 "Kinds of export", as far as the fixtures need it."""
    h = {x.lower() for x in header}
    if "role" in h and ("contactid" in h or "contact id" in h):
        return "contact_roles"
    if ("stagename" in h or "stage name" in h) and ("opportunityid" in h):
        return "stage_history"
    if "subject" in h or any(re.match(r"(what|opportunity)\.", x) for x in h):
        return "activities"
    return "opportunities"


def field_index(kind, header, maps):
    """Canonical field -> column index; --map KIND.FIELD=HEADER wins."""
    low = [x.lower() for x in header]
    idx = {}
    for fld, names in FIELDS[kind].items():
        for n in names:
            if n in low:
                idx[fld] = low.index(n)
                break
    # SPEC §6 "Joining": What.<X> / Opportunity.<X> when <X> is the header
    # of the opportunities' id column (Salesforce external-id exports).
    if kind != "opportunities" and "opportunity_ref" not in idx:
        for i, x in enumerate(low):
            m = re.match(r"(what|opportunity)\.(.+)$", x)
            if m and m.group(2) in OPP_ID_HEADERS:
                idx["opportunity_ref"] = i
    for (k, fld), hdr in maps.items():
        if k == kind and hdr.strip().lower() in low:
            idx[fld] = low.index(hdr.strip().lower())
    return idx


TRUE = {"true", "1", "yes", "y"}
NO = {"", "no", "n", "false", "0", "n/a", "na", "none", "-", "pending", "scheduled",
      "tbd", "not known", "unknown", "undone", "not started", "not done",
      "incomplete", "mark complete", "cancelled", "canceled", "no show"}
DONE_STATUS = {"completed", "complete", "done", "closed", "held"}  # SPEC §6


# ------------------------------------------------------------------ main ----
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--rules")
    ap.add_argument("--kind", action="append", default=[])
    ap.add_argument("--map", action="append", default=[])
    ap.add_argument("--date-order", default="mdy")
    ap.add_argument("files", nargs="+")
    a = ap.parse_intermixed_args()
    asof = dt.date.fromisoformat(a.as_of)
    report = {}
    if a.rules:
        read_rules(a.rules, report)
    tzname = report.get("time_zone", "") or "UTC"
    if tzname == "UTC":
        tz = UTC
    else:
        import zoneinfo  # stdlib; only for a non-UTC [report] time_zone
        tz = zoneinfo.ZoneInfo(tzname)
    kinds = dict(k.split("=", 1) for k in a.kind)
    maps = {}
    for m in a.map:
        f, _, h = m.partition("=")
        k, _, fld = f.rpartition(".")  # FIELD=HEADER: the opportunities
        maps[(k or "opportunities", fld)] = h

    def when(cells, idx, fld):
        i = idx.get(fld)
        if i is None or i >= len(cells):
            return None
        return parse_when(cells[i], a.date_order, tz)

    def cell(cells, idx, fld):
        i = idx.get(fld)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    # Pass 1: the opportunities exports.
    opps, by_key, kind_of, opp_columns = [], {}, {}, set()
    has_go_live = False
    for fi, path in enumerate(a.files):
        header = header_of(path)
        kind_of[path] = kinds.get(path) or detect_kind(header)
        if kind_of[path] != "opportunities":
            continue
        idx = field_index("opportunities", header, maps)
        OPP_ID_HEADERS.add(header[idx["opportunity_id"]].lower())
        has_go_live |= "go_live_date" in idx
        cols = [m for m in MILESTONES if m in idx]
        opp_columns |= set(cols)
        for line, hdr, cells in records(path):
            o = {"id": cell(cells, idx, "opportunity_id"), "fi": fi, "line": line,
                 "stage": cell(cells, idx, "stage"), "sources": [], "acts": [],
                 "hist": [], "go_live": cell(cells, idx, "go_live_date") != ""}
            # SPEC §1 status: IsWon/IsClosed, else the stage text.
            st = o["stage"].lower()
            if "is_closed" in idx:
                won = cell(cells, idx, "is_won").lower() in TRUE
                closed = cell(cells, idx, "is_closed").lower() in TRUE
                o["status"] = "won" if won else ("lost" if closed else "open")
            elif st in ("closed won", "won"):
                o["status"] = "won"
            elif st in ("closed lost", "lost", "loss", "disqualified", "no decision"):
                o["status"] = "lost"
            else:
                o["status"] = "open"
            # SPEC §1 column evidence: a date <= as-of, or any non-"no" value
            # (§6 adds not known, unknown, ...); a later date does not count.
            for m in cols:
                v = cells[idx[m]].strip()
                if v.lower() in NO:
                    continue
                try:
                    w = parse_when(v, a.date_order, tz)
                except BadDate:
                    w = None
                if w is not None and w[0] > asof:
                    continue
                o["sources"].append({"m": m, "date": w[0] if w else None, "fi": fi,
                                     "line": line, "column": hdr[idx[m]]})
            opps.append(o)
            by_key.setdefault(id_key(o["id"]), []).append(o)

    # Pass 2: evidence exports. Decision 7 / SPEC §6 "Joining".
    counts, evidence, rejects = [], [], []
    kinds_present = set()
    for fi, path in enumerate(a.files):
        kind = kind_of[path]
        if kind == "opportunities":
            continue
        kinds_present.add(kind)
        n = j = u = i_ = r = 0
        header = header_of(path)
        idx = field_index(kind, header, maps)
        event_like = "closed" not in idx and any(k in idx for k in ("start", "end", "duration_minutes"))
        for line, _, cells in records(path):
            n += 1
            try:  # rejected: an unreadable date in a column that matters
                if kind == "activities":
                    w = {k: when(cells, idx, k) for k in ("date", "start", "end")}
                elif kind == "stage_history":
                    w = {k: when(cells, idx, k) for k in ("changed_at", "close_date")}
                else:
                    w = {"created_at": when(cells, idx, "created_at")}
            except BadDate:
                r += 1
                rejects.append("%s,%d" % (path, line))  # SPEC §6: to rejects.csv
                continue
            ref = cell(cells, idx, "opportunity_ref")
            # SPEC §6: HubSpot's Associated Deal IDs may hold several ids
            # (; or , separated): the row evidences each.
            if header[idx["opportunity_ref"]].lower() == "associated deal ids":
                refs = [x.strip() for x in re.split(r"[;,]", ref) if x.strip()]
            else:
                refs = [ref] if ref else []
            refs = [x for x in refs if not (is_sfid(x) and not x.startswith("006"))]
            if not refs:
                i_ += 1
                continue
            targets = [o for x in refs for o in by_key.get(id_key(x), [])]
            if not targets:
                u += 1
                continue
            j += 1
            for o in targets:
                src = {"fi": fi, "line": line, "file": path, "kind": kind}
                if kind == "activities":
                    add_activity(o, cells, idx, w, event_like, src, asof, tz, a.date_order)
                elif kind == "stage_history":
                    o["hist"].append(dict(src, stage=cell(cells, idx, "stage"),
                                          at=w["changed_at"], close=w["close_date"]))
                else:
                    role = cell(cells, idx, "role")
                    d = w["created_at"]
                    if d is not None and d[0] > asof:
                        continue  # decision 6: created after as-of
                    for m in MILESTONES:
                        if role.lower() in [x.lower() for x in ROLE.get(m, [])]:
                            o["sources"].append(dict(src, m=m, date=d[0] if d else None,
                                                     matched=role))
        counts.append("milecast: %s: %d rows: %d joined, %d unmatched, "
                      "%d not about an opportunity, %d rejected" % (path, n, j, u, i_, r))

    # Per opportunity: stage history, milestones, gate, output.
    fc = [["opportunity_id", "gate", "milestones", "evidence", "last_activity_date",
           "days_since_last_activity", "stage_entered_date", "days_in_stage",
           "close_date_pushes"]]
    for o in opps:
        stage_history(o, asof)
        # Decision 1: dated beat undated; earliest date, then file, then line.
        best = {}
        for s in o["sources"]:
            k = (s["date"] is None, s["date"] or dt.date.min, s["fi"], s["line"])
            if s["m"] not in best or k < best[s["m"]][0]:
                best[s["m"]] = (k, s)
        done = [m for m in MILESTONES if m in best]
        ev = []
        for m in done:
            s = best[m][1]
            ev.append("%s:%s" % (m, s["column"]) if "column" in s
                      else "%s:%s:%d" % (m, s["file"], s["line"]))
        # Decision 9 / SPEC §6 "a requirement can be judged when ...".
        def judged(m):
            if m == "go_live_date":
                return has_go_live
            return (m in opp_columns
                    or ("activities" in kinds_present and ACTIVITY.get(m))
                    or ("contact_roles" in kinds_present and ROLE.get(m))
                    or ("stage_history" in kinds_present and STAGE.get(m)))

        def complete(m):
            return o["go_live"] if m == "go_live_date" else m in best
        gate = "none"
        for g, reqs in GATES:  # SPEC §1 ladder
            reqs = [[m for m in alt if judged(m)] for alt in reqs]
            reqs = [alt for alt in reqs if alt]
            if not reqs:
                continue  # a gate with no judged requirement neither blocks nor is reported
            if all(any(complete(m) for m in alt) for alt in reqs):
                gate = g
            else:
                break
        if o["status"] in ("won", "lost"):
            gate = o["status"]
        acts = [d for d in o["acts"]]
        last = max(acts) if acts else None
        fc.append([o["id"], gate, ";".join(done), ";".join(ev),
                   last.isoformat() if last else "",
                   str((asof - last).days) if last else "",
                   o["entered"].isoformat() if o["entered"] else "",
                   str((asof - o["entered"]).days) if o["entered"] else "",
                   "" if o["pushes"] is None else str(o["pushes"])])
        # Decision 8: evidence.csv rows, related records only.
        rows = [s for s in o["sources"] if "column" not in s]
        rows.sort(key=lambda s: (MILESTONES.index(s["m"]), s["date"] is None,
                                 s["date"] or dt.date.min, s["fi"], s["line"]))
        for s in rows:
            evidence.append([o["id"], s["m"], s["date"].isoformat() if s["date"] else "",
                             s["kind"], s["file"], str(s["line"]), s["matched"]])

    import os
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "forecast.csv"), "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(fc)
    with open(os.path.join(a.out, "evidence.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["opportunity_id", "milestone", "date", "source_kind", "source_file",
                    "source_line", "matched"])
        w.writerows(evidence)
    with open(os.path.join(a.out, "counts.txt"), "w") as f:
        f.write("".join(c + "\n" for c in counts))
    with open(os.path.join(a.out, "rejects.txt"), "w") as f:
        f.write("".join(r + "\n" for r in rejects))


def add_activity(o, cells, idx, w, event_like, src, asof, tz, date_order):
    """SPEC §6 "Completed, and when" with decision 4."""
    def cell(fld):
        i = idx.get(fld)
        return cells[i].strip() if i is not None and i < len(cells) else ""
    if cell("deleted").lower() in TRUE:
        return  # a row flagged deleted never counts
    if "closed" in idx:
        done = cell("closed").lower() in TRUE
    elif event_like:
        end = w["end"]
        if end is None and w["start"] is not None and w["start"][1] is not None \
                and cell("duration_minutes"):
            t = w["start"][1] + dt.timedelta(minutes=float(cell("duration_minutes")))
            end = (t.astimezone(tz).date(), t)
        end = end or w["start"] or w["date"]
        done = end is not None and end[0] <= asof
    else:
        done = cell("status").lower() in DONE_STATUS
    if not done:
        return
    day = w["date"] or w["end"] or w["start"]
    if day is None and cell("created"):
        try:
            day = parse_when(cell("created"), date_order, tz)
        except BadDate:
            day = None
    if day is None or day[0] > asof:
        return  # the activity's date must be on or before the as-of date
    day = day[0]
    o["acts"].append(day)
    subject = cell("subject")
    for m in MILESTONES:
        p = ACTIVITY.get(m)
        if p and re.search(p, subject, re.I):
            o["sources"].append(dict(src, m=m, date=day, matched=subject))


def stage_history(o, asof):
    """Decision 5: order by changed_at then file order; entries; the last
    run of the current stage; close-date pushes."""
    h = sorted((r for r in o["hist"] if r["at"] is not None), key=lambda r: (as_utc(r["at"]), r["fi"], r["line"]))
    norm = [r["stage"].strip().lower() for r in h]
    for i, r in enumerate(h):
        if i > 0 and norm[i] == norm[i - 1]:
            continue  # not an entry
        if r["at"][0] > asof:
            continue
        for m in MILESTONES:
            if norm[i] in [s.lower() for s in STAGE.get(m, [])]:
                o["sources"].append({"m": m, "date": r["at"][0], "fi": r["fi"],
                                     "line": r["line"], "file": r["file"],
                                     "kind": "stage_history", "matched": r["stage"].strip()})
    o["entered"] = None
    cur = o["stage"].strip().lower()
    if h and norm[-1] == cur:
        i = len(h) - 1
        while i > 0 and norm[i - 1] == cur:
            i -= 1
        o["entered"] = h[i]["at"][0]
    o["pushes"] = None
    if h:
        o["pushes"], prev = 0, None
        for r in h:
            if r["close"] is None:
                continue
            if prev is not None and r["close"][0] > prev:
                o["pushes"] += 1
            prev = r["close"][0]


if __name__ == "__main__":
    main()
