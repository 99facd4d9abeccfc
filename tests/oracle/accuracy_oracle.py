#!/usr/bin/env python3
"""accuracy_oracle.py — an independent oracle for SPEC §7 "Forecast accuracy
over time" (latest/accuracy.csv), written from /work/shared/SPEC.md alone,
never from milecast's source (pkg/accuracy.c, cmd/milecast/accuracy.c).

    accuracy_oracle.py --as-of YYYY-MM-DD [--fiscal-year-start F]
                       [--sets-through YYYY-MM-DD] [--mode literal|listed|row]
                       HISTORY_DIR

Prints to stdout the accuracy.csv that SPEC §7 defines, computed only from
the forecast_by_period.csv of each history set HISTORY_DIR/YYYY-MM-DD/.

What the SPEC says, and how it is read here:
- One row per (P, S): P a fiscal period that has ended before the as-of
  date (P's last day < as-of), S a history set whose as-of date (the name
  of its folder) is on or before P's last day and no more than 92 days
  before P's first day (P.first - S.as_of <= 92 days).
- won_to_date, weighted_amount, commit_amount, best_case_amount are P's row
  of S's forecast_by_period.csv (won_amount, weighted_amount, commit_amount,
  best_case_amount); forecast_amount = won_to_date + weighted_amount;
  actual_won_amount = P's won_amount in the newest set; error =
  forecast_amount - actual_won_amount; error_pct = error / actual_won_amount,
  empty when actual_won_amount is 0.  Rows ordered by period, then as_of.
- Fiscal periods "YYYY-Qn": with fiscal_year_start F, fiscal year Y starts on
  the 1st of month F of year Y (F == 1) or Y-1 (F > 1); quarter n starts
  3*(n-1) months later.

Choices the SPEC leaves open (each one is an assumption of this oracle):
- --mode literal (default): P ranges over every fiscal period, so a pair
  (P, S) exists by its dates alone; when S (or the newest set) has no row for
  P, that row's amounts are 0.  --mode listed: P ranges only over periods
  that some set's forecast_by_period.csv has a row for.  --mode row: only
  pairs where S itself has a row for P.  (The two alternatives are only for
  diagnosing a disagreement.)
- days_to_period_end = P's last day - S's as-of date, in days.
- Amounts are summed exactly (decimal) from the 2-decimal values in the
  files and printed with 2 decimals; error_pct is the exact quotient rounded
  to 4 decimals half away from zero, as a spreadsheet's ROUND() does (SPEC §1
  "do what a sales-operations analyst would expect"; §4 gives no rounding
  rule).  A negative zero is printed without its sign.
- "The newest set" is the set with the latest as-of date in HISTORY_DIR (or
  among sets on or before --sets-through, which emulates the folder as it
  was on an earlier night).  Rows of forecast_by_period.csv whose period is
  not YYYY-Qn (e.g. "(none)") are ignored.
Stdlib only.
"""
import argparse
import csv
import datetime as dt
import os
import re
import sys
from decimal import Decimal, ROUND_HALF_UP

WINDOW_DAYS = 92
HEADER = ("period,as_of,days_to_period_end,won_to_date,weighted_amount,"
          "commit_amount,best_case_amount,forecast_amount,actual_won_amount,"
          "error,error_pct")
PERIOD_RE = re.compile(r"^(\d{4})-Q([1-4])$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ZERO = Decimal("0")


def parse_date(s):
    return dt.date(int(s[0:4]), int(s[5:7]), int(s[8:10]))


def add_months(year, month, n):
    """(year, month) + n months, month 1-12."""
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


class Fiscal:
    def __init__(self, start_month):
        if not 1 <= start_month <= 12:
            raise ValueError("fiscal year start must be 1-12")
        self.f = start_month

    def first_day(self, label_year, q):
        y0 = label_year if self.f == 1 else label_year - 1
        y, m = add_months(y0, self.f, 3 * (q - 1))
        return dt.date(y, m, 1)

    def last_day(self, label_year, q):
        ny, nq = (label_year, q + 1) if q < 4 else (label_year + 1, 1)
        return self.first_day(ny, nq) - dt.timedelta(days=1)

    def period_of(self, d):
        """(label_year, quarter) of date d."""
        off = (d.month - self.f) % 12          # months into the fiscal year
        q = off // 3 + 1
        if self.f == 1:
            y = d.year
        else:
            y = d.year + 1 if d.month >= self.f else d.year
        return y, q

    @staticmethod
    def next(p):
        y, q = p
        return (y, q + 1) if q < 4 else (y + 1, 1)

    @staticmethod
    def label(p):
        return "%04d-Q%d" % p


def fmt2(x):
    v = x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if v == 0:
        v = Decimal("0.00")
    return "%s" % v


def fmt4(x):
    v = x.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    if v == 0:
        v = Decimal("0.0000")
    return "%s" % v


def read_fbp(path):
    """{period label: {column: Decimal}} from one forecast_by_period.csv."""
    rows = {}
    with open(path, newline="", encoding="utf-8") as fh:
        rd = csv.DictReader(fh)
        for r in rd:
            p = r.get("period", "")
            if not PERIOD_RE.match(p):
                continue
            cols = {}
            for c in ("won_amount", "weighted_amount", "commit_amount",
                      "best_case_amount"):
                v = (r.get(c) or "").strip()
                cols[c] = Decimal(v) if v else ZERO
            if p in rows:  # a period twice would be a milecast defect; sum
                for c in cols:
                    rows[p][c] += cols[c]
            else:
                rows[p] = cols
    return rows


def load_sets(history, through=None):
    sets = {}
    for name in sorted(os.listdir(history)):
        if not DATE_RE.match(name):
            continue
        fbp = os.path.join(history, name, "forecast_by_period.csv")
        if not os.path.isfile(fbp):
            continue
        d = parse_date(name)
        if through is not None and d > through:
            continue
        sets[d] = read_fbp(fbp)
    return sets


def compute(sets, as_of, fiscal, mode="literal"):
    lines = [HEADER]
    if not sets:
        return lines
    newest = sets[max(sets)]
    listed = set()
    for rows in sets.values():
        listed.update(rows)
    pairs = []  # (period label, set date, last day)
    for s_date, rows in sets.items():
        p = fiscal.period_of(s_date)          # its last day >= s_date
        while True:
            first = fiscal.first_day(*p)
            if (first - s_date).days > WINDOW_DAYS:
                break
            last = fiscal.last_day(*p)
            lab = Fiscal.label(p)
            ok = last < as_of and s_date <= last
            if ok and mode == "listed" and lab not in listed:
                ok = False
            if ok and mode == "row" and lab not in rows:
                ok = False
            if ok:
                pairs.append((lab, s_date, last))
            p = Fiscal.next(p)
    empty = {"won_amount": ZERO, "weighted_amount": ZERO,
             "commit_amount": ZERO, "best_case_amount": ZERO}
    for lab, s_date, last in sorted(pairs):
        r = sets[s_date].get(lab, empty)
        won = r["won_amount"]
        weighted = r["weighted_amount"]
        forecast = won + weighted
        actual = newest.get(lab, empty)["won_amount"]
        error = forecast - actual
        pct = fmt4(error / actual) if actual != 0 else ""
        lines.append(",".join([
            lab, s_date.isoformat(), str((last - s_date).days),
            fmt2(won), fmt2(weighted), fmt2(r["commit_amount"]),
            fmt2(r["best_case_amount"]), fmt2(forecast), fmt2(actual),
            fmt2(error), pct]))
    return lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("history", metavar="HISTORY_DIR")
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--fiscal-year-start", type=int, default=1)
    ap.add_argument("--sets-through", default=None)
    ap.add_argument("--mode", choices=("literal", "listed", "row"),
                    default="literal")
    a = ap.parse_args(argv)
    as_of = parse_date(a.as_of)
    through = parse_date(a.sets_through) if a.sets_through else None
    sets = load_sets(a.history, through)
    lines = compute(sets, as_of, Fiscal(a.fiscal_year_start), a.mode)
    sys.stdout.write("".join(l + "\n" for l in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
