#!/usr/bin/env bash
# accuracy_check.sh — checks milecast's accuracy.csv (SPEC §7 "Forecast
# accuracy over time") against tests/oracle/accuracy_oracle.py, an
# independent implementation written from the SPEC alone.
#
# In a temporary directory it builds several seeded, random multi-night
# folder-mode histories by calling `milecast run` night by night (one
# crm-YYYY-MM-DD.csv export per night), with fiscal_year_start 1 (default and
# rules file), 2, 7 and 10, and compares byte for byte:
#   - every night's history/DATE/accuracy.csv with the oracle run on the
#     sets that existed that night;
#   - latest/accuracy.csv after the last night;
#   - `milecast accuracy` on the history folder, at the last night's as-of,
#     at a later as-of and at an as-of in the middle of the history.
# The nights are chosen to hit: periods with no set before them, sets 92 and
# 93 days before a period's first day, sets on a period's first and last day
# and the day after, nights without a row for a period, periods with no won
# amount, close dates moving across periods (open and won deals), and a
# night after several quarter ends.
#
#   tests/oracle/accuracy_check.sh [SEED]     (env MILECAST=path/to/milecast)
#
# ORACLE_MODE=listed|row (default literal) compares with one of the oracle's
# alternative readings of which periods get rows (see accuracy_oracle.py).
#
# Exits 0 when everything matched, 1 on any mismatch (each is printed with
# its first differing lines; the work directory is kept for replay).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
MILECAST=${MILECAST:-$root/build/milecast}
ORACLE=$here/accuracy_oracle.py
SEED=${1:-20261203}
if [ ! -x "$MILECAST" ]; then
    make -C "$root" >/dev/null || { echo "accuracy_check: cannot build $MILECAST" >&2; exit 2; }
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/accuracy_check.XXXXXX")

python3 - "$MILECAST" "$ORACLE" "$work" "$SEED" "${ORACLE_MODE:-literal}" <<'PYEOF'
import datetime as dt
import os
import random
import subprocess
import sys
import time

MILECAST, ORACLE, WORK, SEED = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
MODE = sys.argv[5]
sys.path.insert(0, os.path.dirname(ORACLE))
# only for choosing interesting nights and counting coverage; the expected
# files always come from running the oracle's command line
from accuracy_oracle import Fiscal, load_sets

D = dt.timedelta
HEADER = ("Opportunity ID,Opportunity Name,Stage,Amount,Close Date,"
          "Inbound Interest,Discovery Call Date,Exec Sponsor,Pain Quantified")
stats = {"histories": 0, "nights": 0, "comparisons": 0, "rows": 0,
         "mismatches": 0, "fbp_label_issues": 0}
cov = {k: 0 for k in ("rows_set_92_days_before", "sets_93_days_before_excluded",
                      "rows_set_on_last_day", "rows_set_after_last_day_excluded",
                      "ended_periods_without_any_set", "rows_without_row_in_set",
                      "rows_actual_zero", "periods_moved_by_a_deal",
                      "nights_after_2plus_quarter_ends")}


def coverage(history, as_of, fis):
    """What the final history of one run exercises (counted on its sets)."""
    sets = load_sets(history)
    newest = max(sets)
    listed = set().union(*[set(r) for r in sets.values()])
    labs = {}
    for lab in listed:
        y, q = int(lab[:4]), int(lab[-1])
        labs[lab] = (fis.first_day(y, q), fis.last_day(y, q))
    for lab, (first, last) in labs.items():
        if last >= as_of:
            continue
        n = 0
        for s, rows in sets.items():
            gap = (first - s).days
            if s <= last and gap <= 92:
                n += 1
                cov["rows_set_92_days_before"] += gap == 92
                cov["rows_set_on_last_day"] += s == last
                cov["rows_without_row_in_set"] += lab not in rows
            cov["sets_93_days_before_excluded"] += gap == 93
            cov["rows_set_after_last_day_excluded"] += s == last + D(days=1)
        cov["ended_periods_without_any_set"] += n == 0
        if n:
            cov["rows_actual_zero"] += sets[newest].get(lab, {}).get("won_amount", 0) == 0
    dates = sorted(sets)
    for a, b in zip(dates, dates[1:]):
        pa, pb = fis.period_of(a), fis.period_of(b)
        k = 0
        while pa != pb:
            pa, k = Fiscal.next(pa), k + 1
        cov["nights_after_2plus_quarter_ends"] += k >= 2


def iso(d):
    return d.isoformat()


def tie_note(e, a):
    """Says so when two rows differ only in error_pct, at an exact tie."""
    from decimal import Decimal
    ef, af = e.split(","), a.split(",")
    if len(ef) != 11 or len(af) != 11 or ef[:10] != af[:10] or not ef[10] or not af[10]:
        return ""
    q = abs(Decimal(ef[9]) / Decimal(ef[8]))
    if (q * 100000) % 10 == 5 and (q * 100000) == (q * 100000).to_integral_value():
        return "   <- error_pct: %s / %s = %s exactly, a rounding tie" % (ef[9], ef[8], q)
    return ""


def first_diff_report(exp, act, limit=6):
    el, al = exp.splitlines(), act.splitlines()
    out, shown = [], 0
    for i in range(max(len(el), len(al))):
        e = el[i] if i < len(el) else "<no line>"
        a = al[i] if i < len(al) else "<no line>"
        if e != a:
            out.append("    line %d\n      expected: %s\n      actual:   %s%s" % (i + 1, e, a, tie_note(e, a)))
            shown += 1
            if shown >= limit:
                break
    out.append("    (expected %d lines, actual %d lines)" % (len(el), len(al)))
    return "\n".join(out)


def oracle(history, as_of, fys, through=None, mode=None):
    mode = mode or MODE
    cmd = [sys.executable, ORACLE, history, "--as-of", iso(as_of),
           "--fiscal-year-start", str(fys), "--mode", mode]
    if through is not None:
        cmd += ["--sets-through", iso(through)]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def compare(label, actual_path, history, as_of, fys, through, repro):
    stats["comparisons"] += 1
    exp = oracle(history, as_of, fys, through)
    stats["rows"] += exp.count("\n") - 1
    try:
        with open(actual_path, newline="", encoding="utf-8") as fh:
            act = fh.read()
    except OSError as e:
        act = "<unreadable: %s>" % e
    if act == exp:
        return True
    stats["mismatches"] += 1
    alt = [m for m in ("literal", "listed", "row")
           if m != MODE and oracle(history, as_of, fys, through, m) == act]
    print("MISMATCH %s\n  file: %s\n  oracle: python3 %s %s --as-of %s --fiscal-year-start %d%s\n  repro: %s"
          % (label, actual_path, ORACLE, history, iso(as_of), fys,
             (" --sets-through " + iso(through)) if through else "", repro))
    print(first_diff_report(exp, act))
    if alt:
        print("    (milecast's file equals the oracle's --mode %s reading)" % "/".join(alt))
    return False


class Deal:
    def __init__(self, rng, did, night, close):
        self.id = did
        self.name = "Deal %s" % did
        self.amount = self.new_amount(rng)
        self.close = close
        self.stage = "Open"
        r = rng.random()
        if r < 0.15:
            self.ii = ""                                   # gate none
        elif r < 0.25:
            self.ii = iso(night + D(days=rng.randint(1, 40)))   # future: not yet
        else:
            self.ii = iso(night - D(days=rng.randint(0, 60)))
        self.disc, self.sponsor, self.pain = "", "no", "no"
        if rng.random() < 0.35:
            self.power(rng, night)

    @staticmethod
    def new_amount(rng):
        if rng.random() < 0.5:
            return "%d" % (rng.randint(1, 400) * 100)
        return "%d.%02d" % (rng.randint(100, 60000), rng.randint(0, 99))

    def power(self, rng, night):
        self.disc = iso(night - D(days=rng.randint(0, 20)))
        self.sponsor = "yes"
        self.pain = rng.choice(["yes", "yes", "no"])

    def row(self):
        return ",".join([self.id, self.name, self.stage, self.amount,
                         iso(self.close) if self.close else "", self.ii,
                         self.disc, self.sponsor, self.pain])


def nights_for(rng, fis, final_extra):
    """Night dates that hit the window edges of two target periods."""
    base = dt.date(2025, 1, 1) + D(days=rng.randint(0, 540))
    t1 = Fiscal.next(Fiscal.next(fis.period_of(base)))
    t2 = Fiscal.next(Fiscal.next(t1))
    start = fis.first_day(*t1) - D(days=93 + rng.randint(3, 40))
    nights = {start}
    for t in (t1, t2):
        f, l = fis.first_day(*t), fis.last_day(*t)
        for d in (f - D(days=93), f - D(days=92), f - D(days=1), f,
                  l - D(days=1), l, l + D(days=1)):
            nights.add(d)
    end = fis.last_day(*t2) + D(days=30)
    for _ in range(rng.randint(8, 14)):
        nights.add(start + D(days=rng.randint(0, (end - start).days)))
    nights = sorted(nights)
    gap = nights[-1] + D(days=rng.randint(200, 330))   # after several quarter ends
    nights.append(gap)
    if final_extra:
        nights.append(gap + D(days=rng.randint(1, 3)))
    return nights


def expected_labels(deals, fis, night):
    """An open deal overdue that night (close date before it) counts in the
    night's own period (docs/outputs.md)."""
    labs = set()
    for d in deals.values():
        if d.stage in ("Open", "Closed Won") and d.close:
            overdue = d.stage == "Open" and d.close < night
            labs.add(Fiscal.label(fis.period_of(night if overdue else d.close)))
    return labs


def run_history(idx, fys, rules, thresholds):
    rng = random.Random(SEED * 1000 + idx)
    fis = Fiscal(fys)
    hdir = os.path.join(WORK, "h%d-fys%d%s%s" % (idx, fys, "-rules" if rules else "",
                                                 "-thr" if thresholds else ""))
    inbox, out = os.path.join(hdir, "in"), os.path.join(hdir, "out")
    os.makedirs(inbox)
    rules_args = []
    if rules:
        rpath = os.path.join(hdir, "rules.ini")
        with open(rpath, "w") as fh:
            fh.write("[report]\nfiscal_year_start = %d\n" % fys)
            if thresholds:   # make commit/best_case columns non-zero
                fh.write("commit_threshold = 0.30\nbest_case_threshold = 0.10\n")
        rules_args = ["--rules", rpath]
    nights = nights_for(rng, fis, final_extra=(idx % 2 == 0))
    history = os.path.join(out, "history")
    replay = ["#!/usr/bin/env bash", "# replays history %s night by night" % hdir,
              "set -e", "M=${MILECAST:-%s}" % MILECAST, "rm -rf ./in ./out; mkdir ./in"]
    stats["histories"] += 1
    deals, nid = {}, 0
    # deals won long before the history starts: periods with no set before them
    for k in range(2):
        nid += 1
        d = Deal(rng, "W%03d" % nid, nights[0], nights[0] - D(days=rng.randint(150, 500)))
        d.stage = "Closed Won"
        deals[d.id] = d
    for _ in range(rng.randint(8, 14)):
        nid += 1
        deals["O%03d" % nid] = Deal(rng, "O%03d" % nid, nights[0],
                                    nights[0] + D(days=rng.randint(-10, 300)))
    base_mtime = time.time() - 10 ** 6
    ok = True
    for i, night in enumerate(nights):
        if i:   # the CRM moves on
            for _ in range(rng.choice([0, 0, 1, 2])):
                nid += 1
                deals["O%03d" % nid] = Deal(rng, "O%03d" % nid, night,
                                            night + D(days=rng.randint(-10, 260)))
            for did in list(deals):
                d = deals[did]
                r = rng.random()
                if d.stage == "Open":
                    if r < 0.20:
                        before = d.close and fis.period_of(d.close)
                        d.close = (d.close or night) + D(days=rng.choice([-1, 1]) * rng.randint(15, 140))
                        cov["periods_moved_by_a_deal"] += before != fis.period_of(d.close)
                    elif r < 0.30:
                        d.power(rng, night)
                    elif r < 0.38:
                        d.stage = "Closed Won"
                        if rng.random() < 0.7:
                            d.close = night - D(days=rng.randint(0, 10))
                    elif r < 0.43:
                        d.stage = "Closed Lost"
                    elif r < 0.47:
                        del deals[did]
                    elif r < 0.52:
                        d.amount = Deal.new_amount(rng)
                    elif r < 0.54:
                        d.close = None                # no close date: an empty period
                elif d.stage == "Closed Won":
                    if r < 0.06:                      # a won deal's date moves
                        before = fis.period_of(d.close) if d.close else None
                        d.close = (d.close or night) + D(days=rng.choice([-1, 1]) * rng.randint(20, 120))
                        cov["periods_moved_by_a_deal"] += before != fis.period_of(d.close)
                    elif r < 0.08:
                        d.stage = "Open"              # reopened
                        d.close = d.close or night
                elif d.stage == "Closed Lost" and r < 0.05:
                    d.stage = "Open"
                    d.close = night + D(days=rng.randint(0, 200))
        name = "crm-%s.csv" % iso(night)
        path = os.path.join(inbox, name)
        order = list(deals.values())
        rng.shuffle(order)
        with open(path, "w", newline="") as fh:
            fh.write(HEADER + "\n" + "".join(d.row() + "\n" for d in order))
        t = base_mtime + 100 * i
        os.utime(path, (t, t))
        cmd = [MILECAST, "run", "--settle", "0", "--as-of", iso(night),
               "--inbox", inbox, "--out", out] + rules_args + ["--quiet"]
        replay.append("cp %s ./in/ && \"$M\" run --settle 0 --as-of %s --inbox ./in --out ./out %s --quiet"
                      % (os.path.join(out, "archive", iso(night), name), iso(night),
                         " ".join(rules_args)))
        p = subprocess.run(cmd, capture_output=True, text=True)
        stats["nights"] += 1
        if p.returncode != 0:
            print("MISMATCH run failed (exit %d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr))
            stats["mismatches"] += 1
            ok = False
            continue
        setdir = os.path.join(history, iso(night))
        # sanity: the periods of forecast_by_period.csv follow the fiscal calendar
        import csv as _csv
        with open(os.path.join(setdir, "forecast_by_period.csv"), newline="") as fh:
            got = {r["period"] for r in _csv.DictReader(fh) if r["period"] not in ("", "(none)")}
        want = expected_labels(deals, fis, night)
        if got != want:
            stats["fbp_label_issues"] += 1
            print("NOTE %s: forecast_by_period periods %s, deals' close dates give %s"
                  % (setdir, sorted(got), sorted(want)))
        ok &= compare("night %s of %s" % (iso(night), hdir),
                      os.path.join(setdir, "accuracy.csv"), history, night, fys, night,
                      "%s/replay.sh (through night %s)" % (hdir, iso(night)))
    with open(os.path.join(hdir, "replay.sh"), "w") as fh:
        fh.write("\n".join(replay) + "\n")
    os.chmod(os.path.join(hdir, "replay.sh"), 0o755)
    last = nights[-1]
    coverage(history, last, fis)
    ok &= compare("latest/accuracy.csv of %s" % hdir, os.path.join(out, "latest", "accuracy.csv"),
                  history, last, fys, None, "%s/replay.sh" % hdir)
    mid = nights[len(nights) // 2]
    for tag, as_of in (("last", last), ("later", last + D(days=rng.randint(40, 200))),
                       ("middle", mid)):
        adir = os.path.join(hdir, "acc-" + tag)
        cmd = [MILECAST, "accuracy", "--as-of", iso(as_of), "--out", adir] + rules_args + [history]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            print("MISMATCH accuracy failed (exit %d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr))
            stats["mismatches"] += 1
            ok = False
            continue
        ok &= compare("milecast accuracy --as-of %s (%s) of %s" % (iso(as_of), tag, hdir),
                      os.path.join(adir, "accuracy.csv"), history, as_of, fys, None,
                      " ".join(cmd))
    return ok


CONFIGS = [  # (fiscal_year_start, rules file?, low commit/best-case thresholds?)
    (1, False, False), (1, True, True), (2, True, False), (2, True, True),
    (10, True, False), (10, True, True), (7, True, True), (1, True, False),
]
all_ok = True
for i, (fys, rules, thr) in enumerate(CONFIGS):
    all_ok &= run_history(i + 1, fys, rules, thr)
print("accuracy_check: seed %d: %d histories, %d nights, %d files compared, %d oracle rows, "
      "%d mismatches%s" % (SEED, stats["histories"], stats["nights"], stats["comparisons"],
                           stats["rows"], stats["mismatches"],
                           (", %d forecast_by_period label notes" % stats["fbp_label_issues"])
                           if stats["fbp_label_issues"] else ""))
print("accuracy_check: coverage (oracle reading %s): %s"
      % (MODE, ", ".join("%s=%d" % kv for kv in cov.items())))
sys.exit(0 if all_ok and stats["mismatches"] == 0 else 1)
PYEOF
rc=$?
if [ $rc -eq 0 ]; then
    rm -rf "$work"
else
    echo "accuracy_check: work directory kept: $work" >&2
fi
exit $rc
