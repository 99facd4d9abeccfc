#!/usr/bin/env python3
"""score_oracle.py: an independent oracle for `milecast backtest`.

Re-implements, from docs/score.md and README "Deal score" alone (not
from milecast's C code), the backtest's models on a CSV export:

  base_rate    the training win rate W / (W + L) for every test deal
  gate         the gate probability (0 at gate none; no-milestone exports)
  p_win        docs/score.md: an L2 logistic regression over naive-Bayes
               log-likelihood ratios (out-of-fold for the training deals,
               full for the test deals), offset logit(clamp(prior)),
               lambda chosen on the newest 20 % of the training deals by
               the one-standard-error rule, refitted on all training deals
  naive_bayes  logit(p) = logit(clamp(prior)) + sum of the full llrs
  odoo_pls     README: Odoo's naive Bayes (0.1 smoothing, no minimums)

and prints, on stdout, backtest.csv's rows `model,n,brier,log_loss,auc`
(4 decimals). Diagnostics (split, counts, the lambda choice) go to stderr.

With --forecast it is an oracle for `milecast forecast` instead: the model
learns from ALL closed deals of the file (learn index = input order of the
closed rows that are not rejected), with the attribute calendar_cycle
(m1/m2/m3: the month's place in the fiscal quarter of the deal's close
date) added, and budget_cycle with --fye-col, and scores every open row; it prints
`opportunity_id,p_win,top_factors` (docs/score.md "top_factors": the three
largest |changes in p_win| >= 0.005 as `attribute=value(+0.05)`, `;`-separated).
--detail FILE writes, per open row, the unrounded p_win and every
attribute's change, for comparisons that must tolerate rounding edges.

Python 3 standard library only.  Example (IBM, pre-outcome attributes):

  score_oracle.py ibm.csv --outcome-col "Opportunity Result" --won Won --lost Loss \\
      --attr industry="Supplies Group" --attr region=Region ... \\
      --bucket deal_size="Opportunity Amount USD:10000,50000,100000,500000"

Speed: training deals with the same (fitting/validation membership,
offset, features) are grouped with won / lost counts, so a Newton pass
is one pass over the groups.
"""

import argparse
import csv
import math
import sys
from fractions import Fraction

GRID = [1000.0, 300.0, 100.0, 30.0, 10.0, 3.0, 1.0]
FOLDS = 5


def log(*a):
    print("score_oracle:", *a, file=sys.stderr)


# ---------------------------------------------------------------- input

def parse_amount(s):
    """A cell read as an amount (`1,200`, `$5,000,000`), or None."""
    t = s.strip().replace(",", "").replace(" ", "")
    for sym in ("$", "\u20ac", "\u00a3"):
        t = t.replace(sym, "")
    if not t:
        return None
    try:
        v = float(t)
    except ValueError:
        return None
    if math.isnan(v) or math.isinf(v):
        return None
    return v


def bucket_name(v, edges):
    """README: edges e1 < e2 < ...: <e1, e1-e2, ..., ek+; a value equal to an
    edge goes to the bucket that starts at it."""
    def fmt(e):
        return ("%d" % e) if float(e).is_integer() else repr(e)
    k = sum(1 for e in edges if v >= e)
    if k == 0:
        return "<" + fmt(edges[0])
    if k == len(edges):
        return fmt(edges[-1]) + "+"
    return fmt(edges[k - 1]) + "-" + fmt(edges[k])


# README "Values": evidence cells that are a "no" (any case).
NO_VALUES = {"", "no", "n", "false", "0", "n/a", "na", "none", "-", "pending", "scheduled",
             "tbd", "#n/a", "null", "\u2717", "\u2718"}


def iso_day(s):
    """s as a YYYY-MM-DD date string, or None (the oracle reads ISO dates only)."""
    import datetime
    if len(s) != 10:
        return None
    try:
        return datetime.date.fromisoformat(s).isoformat()
    except ValueError:
        return None


def evidence_done(cell, as_of):
    """README "Values": a milestone cell is complete when it holds a date on
    or before the as-of date, or any other value that is not a "no"."""
    c = cell.strip()
    if c.lower() in NO_VALUES:
        return False
    d = iso_day(c)
    if d is not None:
        return d <= as_of
    return True


def calendar_cycle(day, fys):
    """README "Deal score": m1, m2, m3, the month of the fiscal quarter
    (fiscal year starting in month fys) the close date falls in."""
    return "m%d" % ((int(day[5:7]) - fys) % 3 + 1)


MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]


def fye_month(cell):
    """The month (1-12) a fiscal_year_end cell holds: an English month name
    or its 3-letter abbreviation (any case), or a YYYY-MM-DD date; else
    None. (README: "when fiscal_year_end holds a month or a date"; the
    oracle's inputs hold no other forms.)"""
    c = cell.strip().lower()
    for k, m in enumerate(MONTHS):
        if c == m or c == m[:3]:
            return k + 1
    d = iso_day(c)
    return int(d[5:7]) if d else None


def budget_cycle(day, fm):
    """README "Deal score": months from the close date to the prospect's
    fiscal year end, as 0-2, 3-5, 6-8, 9-11 (the close date's month to the
    next fiscal-year-end month, 0 when it is that month)."""
    k = (fm - int(day[5:7])) % 12
    return ("0-2", "3-5", "6-8", "9-11")[k // 3]


def read_deals(args):
    won_set = set(args.won)
    lost_set = set(args.lost)
    attrs = []  # (name, column, edges or None)
    for spec in args.attr:
        name, _, col = spec.partition("=")
        attrs.append((name, col, None))
    for spec in args.bucket:
        name, _, rest = spec.partition("=")
        col, _, e = rest.rpartition(":")
        edges = [float(x) for x in e.split(",") if x.strip()]
        attrs.append((name, col, edges))
    gates = []
    for spec in args.gate:
        col, _, prob = spec.rpartition("=")
        gates.append((col, float(prob)))

    with open(args.csv, newline="", encoding="utf-8-sig") as f:
        rd = csv.reader(f)
        header = next(rd)
        idx = {h: i for i, h in reversed(list(enumerate(header)))}

        def col(name):
            if name not in idx:
                sys.exit("score_oracle: no column %r in %s" % (name, args.csv))
            return idx[name]

        oc = col(args.outcome_col)
        cc = col(args.close_col) if args.close_col else None
        ic = col(args.id_col) if args.id_col else None
        fc = col(args.fye_col) if args.fye_col else None
        acols = [(n, col(c), e) for n, c, e in attrs]
        gcols = [(col(c), p) for c, p in gates]
        deals = []
        opens = []
        skipped = 0
        rejected = 0
        for row in rd:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            # README "Reject reasons" the oracle knows (its inputs have no
            # others): field_count, missing_id, bad_date:crm_close_date.
            if len(row) != len(header):
                rejected += 1
                continue
            cell = (lambda i: row[i] if i < len(row) else "")
            oid = cell(ic).strip() if ic is not None else ""
            if ic is not None and (oid == "" or oid.upper() == "#N/A"):
                rejected += 1
                continue
            day = cell(cc).strip() if cc is not None else ""
            if day.upper() == "#N/A":
                day = ""
            if day != "":
                d = iso_day(day)
                if d is None:
                    rejected += 1
                    continue
                day = d
            o = cell(oc).strip()
            if o in won_set:
                y = 1
            elif o in lost_set:
                y = 0
            else:
                y = None  # open
            vals = []
            for _, i, edges in acols:
                v = cell(i).strip()
                if v == "" or v.upper() == "#N/A":
                    vals.append(None)
                elif edges is not None:
                    a = parse_amount(v)
                    vals.append(bucket_name(a, edges) if a is not None else v)
                else:
                    vals.append(v)
            if args.forecast and cc is not None:
                vals.append(calendar_cycle(day, args.fiscal_year_start) if day else None)
                if fc is not None:
                    fm = fye_month(cell(fc))
                    vals.append(budget_cycle(day, fm) if day and fm else None)
            pg = 0.0
            for i, p in gcols:
                if evidence_done(cell(i), args.as_of) and p > pg:
                    pg = p
            dl = {"id": oid, "y": y, "day": day, "vals": vals, "pgate": pg}
            if y is None:
                skipped += 1
                if args.forecast:
                    opens.append(dl)
                continue  # open deals take no part in the backtest
            deals.append(dl)
    names = [n for n, _, _ in attrs]
    if args.forecast and cc is not None:
        names.append("calendar_cycle")
        if args.fye_col:
            names.append("budget_cycle")
    log("%s: %d closed deals, %d other rows (open), %d rejected"
        % (args.csv, len(deals), skipped, rejected))
    args.n_rejected = rejected
    return deals, names, bool(gates), opens


def ceil_frac(fr, n):
    """ceil(fr * n), exactly."""
    x = fr * n
    return -((-x.numerator) // x.denominator)


def split(deals, frac):
    """README "Backtest": by close date (whole days; undated closed deals
    train), or by input order when no closed deal has a close date or one
    day holds them all."""
    n = len(deals)
    dated = [i for i, d in enumerate(deals) if d["day"]]
    days = set(deals[i]["day"] for i in dated)
    if len(days) > 1:
        kd = ceil_frac(frac, len(dated))
        order = sorted(dated, key=lambda i: (deals[i]["day"], i))
        sd = deals[order[kd - 1]]["day"] if kd >= 1 else ""
        train = [d for d in deals if d["day"] == "" or (kd >= 1 and d["day"] <= sd)]
        test = [d for d in deals if d["day"] != "" and not (kd >= 1 and d["day"] <= sd)]
        log("split by close date: %d dated, split day %s: %d train, %d test"
            % (len(dated), sd, len(train), len(test)))
    else:
        k = ceil_frac(frac, n)
        train, test = deals[:k], deals[k:]
        log("split by input order: %d train, %d test" % (len(train), len(test)))
    return train, test


# ---------------------------------------------------------------- helpers

def logit(p):
    return math.log(p / (1.0 - p))


def clamp(p, lo, hi):
    return min(max(p, lo), hi)


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def softplus(z):
    """ln(1 + e^z), stable."""
    if z > 0:
        return z + math.log1p(math.exp(-z))
    return math.log1p(math.exp(z))


# ---------------------------------------------------------------- llr tables

def count_table(train, A):
    """cnt[a][v] = [won, lost] over the deals given."""
    cnt = [dict() for _ in range(A)]
    for d in train:
        for a in range(A):
            v = d["vals"][a]
            if v is None:
                continue
            c = cnt[a].get(v)
            if c is None:
                c = cnt[a][v] = [0, 0]
            c[1 - d["y"]] += 1
    return cnt


def llr_table(cnt, alpha, m):
    """docs/score.md: llr(a = v) when won_v + lost_v >= m (and >= 1), else
    absent (0). K_a: the values with at least one deal."""
    out = []
    for c in cnt:
        live = {v: wl for v, wl in c.items() if wl[0] + wl[1] > 0}
        Wa = sum(wl[0] for wl in live.values())
        La = sum(wl[1] for wl in live.values())
        K = len(live)
        t = {}
        for v, (w, l) in live.items():
            if w + l >= max(m, 1):
                t[v] = (math.log((w + alpha) / (Wa + alpha * K))
                        - math.log((l + alpha) / (La + alpha * K)))
        out.append(t)
    return out


def odoo_table(cnt):
    out = []
    for c in cnt:
        Wa = sum(wl[0] for wl in c.values())
        La = sum(wl[1] for wl in c.values())
        K = len(c)
        out.append({v: math.log((w + 0.1) / (Wa + 0.1 * K)) - math.log((l + 0.1) / (La + 0.1 * K))
                    for v, (w, l) in c.items()})
    return out


# ---------------------------------------------------------------- the fit

def solve_spd(H, g):
    """Solve H x = g for a symmetric positive definite H (Cholesky)."""
    d = len(g)
    Lm = [[0.0] * d for _ in range(d)]
    for i in range(d):
        for j in range(i + 1):
            s = H[i][j] - sum(Lm[i][k] * Lm[j][k] for k in range(j))
            if i == j:
                Lm[i][i] = math.sqrt(s)
            else:
                Lm[i][j] = s / Lm[j][j]
    y = [0.0] * d
    for i in range(d):
        y[i] = (g[i] - sum(Lm[i][k] * y[k] for k in range(i))) / Lm[i][i]
    x = [0.0] * d
    for i in reversed(range(d)):
        x[i] = (y[i] - sum(Lm[k][i] * x[k] for k in range(i + 1, d))) / Lm[i][i]
    return x


def objective(groups, theta, lam):
    """J(theta): log loss (sum) + lam/2 |theta|^2; groups: (off, x, w, l),
    x[0] = 1 for b."""
    J = 0.0
    for off, x, w, l in groups:
        z = off
        for t, xv in zip(theta, x):
            z += t * xv
        if w:
            J += w * softplus(-z)
        if l:
            J += l * softplus(z)
    return J + 0.5 * lam * sum(t * t for t in theta)


def fit(groups, d, lam):
    """The minimiser of J by Newton's method from 0 (step halved while J
    does not decrease), until every |step| < 1e-10 or 100 steps."""
    theta = [0.0] * d
    J = objective(groups, theta, lam)
    idx = [(j, k) for j in range(d) for k in range(j + 1)]
    for _ in range(100):
        g = [lam * t for t in theta]
        Hf = [0.0] * len(idx)
        for off, x, w, l in groups:
            z = off
            for t, xv in zip(theta, x):
                z += t * xv
            p = sigmoid(z)
            n = w + l
            r = n * p - w
            s = n * p * (1.0 - p)
            for j in range(d):
                g[j] += r * x[j]
            q = 0
            for j in range(d):
                sj = s * x[j]
                if sj == 0.0:
                    q += j + 1
                    continue
                for k in range(j + 1):
                    Hf[q] += sj * x[k]
                    q += 1
        H = [[0.0] * d for _ in range(d)]
        for (j, k), v in zip(idx, Hf):
            H[j][k] = H[k][j] = v
        for j in range(d):
            H[j][j] += lam
        delta = solve_spd(H, [-v for v in g])
        step = 1.0
        while True:
            cand = [t + step * dv for t, dv in zip(theta, delta)]
            Jc = objective(groups, cand, lam)
            if Jc <= J or step < 1e-12:
                break
            step *= 0.5
        theta, J = cand, Jc
        if max(abs(dv) for dv in delta) < 1e-10 or max(abs(step * dv) for dv in delta) < 1e-14:
            break
    return theta


def grad_max(groups, theta, lam):
    g = [lam * t for t in theta]
    for off, x, w, l in groups:
        r = (w + l) * predict(off, x, theta) - w
        for j, xv in enumerate(x):
            g[j] += r * xv
    return max(abs(v) for v in g)


def predict(off, x, theta):
    z = off
    for t, xv in zip(theta, x):
        z += t * xv
    return sigmoid(z)


# ---------------------------------------------------------------- models

def p_win_model(train, test, A, names, args, noev, W, L, log_cb=log, detail=None):
    """docs/score.md, on the training deals; the test deals' p_win.
    detail (a dict), when given, receives "factors": per test deal the
    list of (attribute index, change in p_win) of docs/score.md
    "top_factors" (empty with the prior chosen or prior only)."""
    n = W + L
    alpha, m = args.smoothing, args.min_value_deals
    if detail is not None:
        detail["factors"] = [[] for _ in test]
    if W < args.min_history or L < args.min_history:
        log_cb("p_win: %d won, %d lost: prior only" % (W, L))
        return [prior_only_p(d, noev, W, L, alpha, args.prior_only) for d in test], "prior_only"

    rate = W / n

    def offset(d):
        return logit(clamp(rate if noev else d["pgate"], 0.01, 0.99))

    # Learn index i = input order among the training deals; fold i mod 5.
    full_cnt = count_table(train, A)
    full = llr_table(full_cnt, alpha, m)
    fold_cnt = [count_table(train[f::FOLDS], A) for f in range(FOLDS)]
    oof = []
    for f in range(FOLDS):
        red = []
        for a in range(A):
            c = {}
            fc = fold_cnt[f][a]
            for v, (w, l) in full_cnt[a].items():
                fw, fl = fc.get(v, (0, 0))
                c[v] = [w - fw, l - fl]
            red.append(c)
        oof.append(llr_table(red, alpha, m))

    # Validation: the newest ceil(0.2 n) by (undated first, close date, learn index).
    nval = ceil_frac(Fraction(1, 5), n)
    order = sorted(range(n), key=lambda i: (train[i]["day"] != "", train[i]["day"], i))
    is_val = [False] * n
    for i in order[n - nval:]:
        is_val[i] = True

    feats = []
    for i, d in enumerate(train):
        t = oof[i % FOLDS]
        feats.append(tuple(t[a].get(d["vals"][a], 0.0) if d["vals"][a] is not None else 0.0
                           for a in range(A)))
    tfeats = [tuple(full[a].get(d["vals"][a], 0.0) if d["vals"][a] is not None else 0.0
                    for a in range(A)) for d in test]
    # Attributes whose training features are all 0 get weight 0 exactly
    # (no gradient, L2 pull): leave them out of the fit.
    active = [a for a in range(A) if any(fx[a] != 0.0 for fx in feats)]
    log_cb("p_win: attributes in the fit: %s" % ", ".join(names[a] for a in active))
    d = 1 + len(active)

    gfit, gval, gall = {}, {}, {}
    for i, dl in enumerate(train):
        x = (1.0,) + tuple(feats[i][a] for a in active)
        key = (offset(dl), x)
        for g in ((gval if is_val[i] else gfit), gall):
            c = g.get(key)
            if c is None:
                c = g[key] = [0, 0]
            c[1 - dl["y"]] += 1

    def glist(g):
        return [(k[0], k[1], c[0], c[1]) for k, c in g.items()]

    fit_groups, val_groups, all_groups = glist(gfit), glist(gval), glist(gall)
    log_cb("p_win: %d fitting, %d validation deals; %d / %d / %d groups"
           % (n - nval, nval, len(fit_groups), len(val_groups), len(all_groups)))

    def val_losses(theta):
        """Per-deal losses on the validation deals, as (loss, count) pairs."""
        out = []
        for off, x, w, l in val_groups:
            q = clamp(predict(off, x, theta), 1e-6, 1 - 1e-6)
            if w:
                out.append((-math.log(q), w))
            if l:
                out.append((-math.log(1 - q), l))
        return out

    cands = [("prior", None, [0.0] * d)]
    for lam in GRID:
        cands.append(("%g" % lam, lam, fit(fit_groups, d, lam)))
    stats = []
    for name, lam, theta in cands:
        ls = val_losses(theta)
        cnt = sum(c for _, c in ls)
        mean = sum(v * c for v, c in ls) / cnt
        var = sum(c * (v - mean) ** 2 for v, c in ls) / (cnt - 1) if cnt > 1 else 0.0
        stats.append((mean, math.sqrt(var) / math.sqrt(cnt)))
    best = min(range(len(cands)), key=lambda k: (stats[k][0], k))
    limit = stats[best][0] + stats[best][1]
    chosen = next(k for k in range(len(cands)) if stats[k][0] <= limit)
    for k, (name, lam, theta) in enumerate(cands):
        log_cb("p_win: lambda %-5s validation mean %.8f se %.8f%s%s  theta %s"
               % (name, stats[k][0], stats[k][1], "  best" if k == best else "",
                  "  CHOSEN" if k == chosen else "",
                  " ".join("%.6f" % t for t in theta)))
    log_cb("p_win: best + se = %.8f; margin of the choice: %s" % (limit, ", ".join(
        "%s %+.2e" % (cands[k][0], stats[k][0] - limit) for k in range(len(cands)))))
    if chosen == 0:
        return [(rate if noev else dl["pgate"]) for dl in test], "prior"
    lam = cands[chosen][1]
    theta = fit(all_groups, d, lam)
    log_cb("p_win: refit: max |gradient of J| at the minimiser %.2e" % grad_max(all_groups, theta, lam))
    log_cb("p_win: refit on all %d learned deals, lambda %g: b %.6f, %s" % (n, lam, theta[0], ", ".join(
        "%s %.6f" % (names[a], theta[1 + j]) for j, a in enumerate(active))))
    out = []
    for k, dl in enumerate(test):
        x = (1.0,) + tuple(tfeats[k][a] for a in active)
        z = offset(dl) + sum(t * xv for t, xv in zip(theta, x))
        p = sigmoid(z)
        out.append(p)
        if detail is not None:
            # docs/score.md "top_factors": t_a = w_a llr(a = v); its change
            # in p_win is p_win - 1 / (1 + e^-(z - t_a)).
            for j, a in enumerate(active):
                t = theta[1 + j] * tfeats[k][a]
                if t != 0.0:
                    detail["factors"][k].append((a, p - sigmoid(z - t)))
    return out, "lambda %g" % lam


def prior_only_p(d, noev, W, L, alpha, how="docs"):
    """docs/score.md: prior only: the gate probability; without milestone
    column the win rate W / (W + L), smoothed to (W + a) / (W + L + 2a)
    only when W or L is 0; 0 with no closed deal. how = "smoothed": always
    smoothed (the README's earlier wording); "plain": never."""
    if not noev:
        return d["pgate"]
    if W + L == 0:
        return 0.0
    if how == "plain" or (how == "docs" and W > 0 and L > 0):
        return W / (W + L)
    return (W + alpha) / (W + L + 2 * alpha)


def naive_bayes(train, test, A, args, noev, W, L):
    if W < args.min_history or L < args.min_history:
        return [prior_only_p(d, noev, W, L, args.smoothing, args.prior_only) for d in test]
    full = llr_table(count_table(train, A), args.smoothing, args.min_value_deals)
    rate = W / (W + L)
    out = []
    for d in test:
        z = logit(clamp(rate if noev else d["pgate"], 0.01, 0.99))
        for a in range(A):
            v = d["vals"][a]
            if v is not None:
                z += full[a].get(v, 0.0)
        out.append(sigmoid(z))
    return out


def odoo_pls(train, test, A, W, L):
    if W == 0 or L == 0:
        return [W / (W + L)] * len(test)
    t = odoo_table(count_table(train, A))
    out = []
    for d in test:
        z = math.log(W / L)
        for a in range(A):
            v = d["vals"][a]
            if v is not None and v in t[a]:
                z += t[a][v]
        z = clamp(z, -60.0, 60.0)
        out.append(clamp(sigmoid(z), 0.0001, 0.9999))
    return out


# ---------------------------------------------------------------- metrics

def metrics(ps, ys):
    n = len(ys)
    brier = sum((p - y) ** 2 for p, y in zip(ps, ys)) / n
    ll = 0.0
    for p, y in zip(ps, ys):
        q = clamp(p, 0.001, 0.999)
        ll -= math.log(q) if y else math.log(1 - q)
    ll /= n
    nw = sum(ys)
    nl = n - nw
    if nw == 0 or nl == 0:
        auc = None
    else:
        by = {}
        for p, y in zip(ps, ys):
            r = math.floor(p * 100000 + 0.5)
            c = by.get(r)
            if c is None:
                c = by[r] = [0, 0]
            c[1 - y] += 1
        below = 0
        s = 0.0
        for r in sorted(by):
            w, l = by[r]
            s += w * (below + 0.5 * l)
            below += l
        auc = s / (nw * nl)
    return n, brier, ll, auc


def top_factors(factors, names, vals):
    """docs/score.md: the three largest changes by magnitude, at least
    0.005, as attribute=value(+0.05), largest first (ties: attribute
    order), `;`-separated."""
    fs = sorted(((abs(c), a, c) for a, c in factors if abs(c) >= 0.005), key=lambda t: (-t[0], t[1]))
    return ";".join("%s=%s(%+.2f)" % (names[a], vals[a], c) for _, a, c in fs[:3])


def forecast(args, deals, names, noev, opens):
    """milecast forecast: learn from every closed deal, score the open rows."""
    A = len(names)
    W = sum(d["y"] for d in deals)
    L = len(deals) - W
    log("forecast: learned from %d won, %d lost; %d open rows scored; attributes: %s"
        % (W, L, len(opens), ", ".join(names)))
    detail = {}
    ps, how = p_win_model(deals, opens, A, names, args, noev, W, L, detail=detail)
    log("p_win: %s" % how)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["opportunity_id", "p_win", "top_factors"])
    det = None
    if args.detail:
        det = csv.writer(open(args.detail, "w", newline=""), lineterminator="\n")
        det.writerow(["opportunity_id", "p_win", "how", "factors"])
    for k, d in enumerate(opens):
        w.writerow([d["id"], "%.4f" % ps[k], top_factors(detail["factors"][k], names, d["vals"])])
        if det:
            det.writerow([d["id"], repr(ps[k]), how, ";".join(
                "%s=%s:%r" % (names[a], d["vals"][a], c) for a, c in detail["factors"][k])])
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv")
    ap.add_argument("--outcome-col", required=True, help="the column saying won / lost")
    ap.add_argument("--won", action="append", required=True, help="a won value (repeatable)")
    ap.add_argument("--lost", action="append", required=True, help="a lost value (repeatable)")
    ap.add_argument("--close-col", default=None, help="close date column (YYYY-MM-DD); none: input order")
    ap.add_argument("--attr", action="append", default=[], help="NAME=COLUMN (value: the cell trimmed)")
    ap.add_argument("--bucket", action="append", default=[],
                    help="NAME=COLUMN:E1,E2,... (numeric attribute by its buckets)")
    ap.add_argument("--gate", action="append", default=[],
                    help="COLUMN=PROB: a milestone date column; a date on or before --as-of puts the "
                         "deal at a gate of probability PROB (else gate none, 0). Without --gate the "
                         "export has no milestone column (no_evidence)")
    ap.add_argument("--as-of", default="2026-11-23")
    ap.add_argument("--train-fraction", default="0.7")
    ap.add_argument("--smoothing", type=float, default=1.0)
    ap.add_argument("--min-value-deals", type=int, default=10)
    ap.add_argument("--min-history", type=int, default=10)
    ap.add_argument("--prior-only", choices=("docs", "smoothed", "plain"), default="docs",
                    help="p_win and naive_bayes under score_prior_only without milestone column: "
                         "docs/score.md's W / (W + L), smoothed when W or L is 0 (default), "
                         "always (W + a) / (W + L + 2a), or always W / (W + L)")
    ap.add_argument("--models", default="base_rate,gate,p_win,naive_bayes,odoo_pls")
    ap.add_argument("--forecast", action="store_true",
                    help="oracle of `milecast forecast`: learn from all closed deals (with calendar_cycle "
                         "when --close-col is given), print opportunity_id,p_win,top_factors of the open rows")
    ap.add_argument("--id-col", default=None,
                    help="the opportunity id column (required with --forecast); a row with an empty id is "
                         "rejected (missing_id) and not learned")
    ap.add_argument("--fiscal-year-start", type=int, default=1,
                    help="[report] fiscal_year_start (1-12), for calendar_cycle")
    ap.add_argument("--fye-col", default=None,
                    help="with --forecast: the fiscal_year_end column, for the attribute budget_cycle "
                         "(give it as an --attr too: fiscal_year_end is an attribute of its own)")
    ap.add_argument("--detail", default=None,
                    help="with --forecast: write every open row's unrounded p_win and every attribute's "
                         "change in p_win to this file")
    args = ap.parse_args()
    if args.forecast and not args.id_col:
        ap.error("--forecast needs --id-col")

    deals, names, has_gate, opens = read_deals(args)
    noev = not has_gate
    A = len(names)
    if args.forecast:
        return forecast(args, deals, names, noev, opens)
    train, test = split(deals, Fraction(args.train_fraction))
    if not train or not test:
        log("no closed deal to train on, or none to test")
        return 65
    W = sum(d["y"] for d in train)
    L = len(train) - W
    log("training: %d won, %d lost; test: %d won, %d lost"
        % (W, L, sum(d["y"] for d in test), len(test) - sum(d["y"] for d in test)))
    ys = [d["y"] for d in test]
    preds = {}
    wanted = args.models.split(",")
    if "base_rate" in wanted:
        preds["base_rate"] = [W / (W + L)] * len(test)
    if "gate" in wanted:
        preds["gate"] = [d["pgate"] for d in test]
    if "p_win" in wanted:
        preds["p_win"], how = p_win_model(train, test, A, names, args, noev, W, L)
        log("p_win: %s" % how)
    if "naive_bayes" in wanted:
        preds["naive_bayes"] = naive_bayes(train, test, A, args, noev, W, L)
    if "odoo_pls" in wanted:
        preds["odoo_pls"] = odoo_pls(train, test, A, W, L)
    print("model,n,brier,log_loss,auc")
    for mname in wanted:
        if mname not in preds:
            continue
        n, b, ll, auc = metrics(preds[mname], ys)
        print("%s,%d,%.4f,%.4f,%s" % (mname, n, b, ll, "" if auc is None else "%.4f" % auc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
