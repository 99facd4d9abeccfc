# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST: set by run.sh
# t_related.sh — SPEC §6 (evidence from related records) against an
# independent oracle, sourced by tests/e2e/run.sh. Each scenario copies
# fixtures/related/<set>/ to $tmp/t_related/<scenario>/in/, runs
#   milecast forecast --as-of 2026-11-23 --out out ARGS   (relative paths)
# and tests/oracle/related_oracle.py with the same ARGS, then compares:
#   - forecast.csv columns opportunity_id, gate, milestones, evidence,
#     last_activity_date, days_since_last_activity, stage_entered_date,
#     days_in_stage, close_date_pushes (by header name, row by row);
#   - evidence.csv as a multiset of rows, then in order;
#   - each evidence file's "N rows: J joined, ..." line on stderr;
#   - the evidence rows in rejects.csv (source_file, source_line);
#   - and: evidence exports without an opportunities export exit 65; a
#     contacts export's title feeds the contact_title attribute.
# One ok/bad per compared item; a failure prints a diff. The oracle is
# written from SPEC.md alone, never from pkg/*.c.

tr_src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tr_oracle=$tr_src/tests/oracle/related_oracle.py
tr_root=$tmp/t_related
mkdir -p "$tr_root"

# The comparer: GOT_DIR WANT_DIR STDERR RESULTS. Writes to RESULTS one line
# per item: "ok<TAB>item" or "bad<TAB>item<TAB>file with the diff".
cat > "$tr_root/cmp.py" <<'EOF'
import csv, collections, difflib, os, re, sys
got, want, stderr, results = sys.argv[1:5]
out = open(results, "w")
n = [0]
def report(item, good, text=""):
    if good:
        out.write("ok\t%s\n" % item)
        return
    n[0] += 1
    p = "%s.diff%d" % (results, n[0])
    open(p, "w").write(text)
    out.write("bad\t%s\t%s\n" % (item, p))
def table(path):
    if not os.path.exists(path):
        return None
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]
w_hdr, w_rows = table(os.path.join(want, "forecast.csv"))
g = table(os.path.join(got, "forecast.csv"))
if g is None:
    report("forecast.csv exists", False, "no forecast.csv\n")
else:
    g_hdr, g_rows = g
    report("forecast.csv rows", len(g_rows) == len(w_rows),
           "got %d rows, want %d\n" % (len(g_rows), len(w_rows)))
    for col in w_hdr:
        if col not in g_hdr:
            report("forecast.csv " + col, False, "no column %s in %s\n" % (col, g_hdr))
            continue
        diff = []
        for i, wr in enumerate(w_rows):
            gv = g_rows[i].get(col) if i < len(g_rows) else None
            if gv != wr[col]:
                diff.append("  row %d (%s):\n    got:  %r\n    want: %r\n"
                            % (i + 1, wr["opportunity_id"], gv, wr[col]))
        report("forecast.csv " + col, not diff, "".join(diff))
w_hdr, w_rows = table(os.path.join(want, "evidence.csv"))
g = table(os.path.join(got, "evidence.csv"))
if g is None:
    report("evidence.csv exists", False, "no evidence.csv\n")
else:
    g_hdr, g_rows = g
    report("evidence.csv header", g_hdr == w_hdr, "got  %s\nwant %s\n" % (g_hdr, w_hdr))
    line = lambda r: ",".join(r.get(c, "?") for c in w_hdr)
    gl, wl = [line(r) for r in g_rows], [line(r) for r in w_rows]
    gc, wc = collections.Counter(gl), collections.Counter(wl)
    text = "".join("  missing: %s\n" % r for r in sorted((wc - gc).elements()))
    text += "".join("  extra:   %s\n" % r for r in sorted((gc - wc).elements()))
    report("evidence.csv rows (as a set)", gc == wc, text)
    report("evidence.csv row order", gl == wl,
           "\n".join(difflib.unified_diff(wl, gl, "want", "got", lineterm="", n=1)) + "\n")
want_files = set()
for wline in open(os.path.join(want, "counts.txt")).read().splitlines():
    want_files.add(re.match(r"milecast: (.*): \d+ rows: ", wline).group(1))
g = table(os.path.join(got, "rejects.csv"))
if g is None:
    report("rejects.csv exists", False, "no rejects.csv\n")
else:
    gl = sorted("%s,%s" % (r.get("source_file"), r.get("source_line")) for r in g[1]
                if r.get("source_file") in want_files)
    wl = sorted(open(os.path.join(want, "rejects.txt")).read().splitlines())
    report("rejects.csv evidence rows", gl == wl,
           "  got:  %s\n  want: %s\n" % (" ".join(gl) or "(none)", " ".join(wl) or "(none)"))
errs = open(stderr, encoding="utf-8", errors="replace").read().splitlines()
for wline in open(os.path.join(want, "counts.txt")).read().splitlines():
    prefix = wline.split(" rows: ")[0].rsplit(":", 1)[0] + ": "
    fname = prefix[len("milecast: "):-2]
    cand = [e for e in errs if e.startswith(prefix) and " rows: " in e]
    report("log line for " + fname, wline in cand,
           "  want: %s\n  got:  %s\n" % (wline, "\n        ".join(cand) or "(none)"))
EOF

# tr_scenario NAME FIXTURE_SET ARGS...: run milecast and the oracle, compare.
# FIXTURE_SET is a directory of fixtures/related, or an absolute path.
tr_scenario() {
    local name=$1 set=$2 d status kind item file
    shift 2
    d=$tr_root/$name
    mkdir -p "$d/in"
    case $set in
        /*) cp -R "$set/." "$d/in/" ;;  # generated below
        *) cp -R "$tr_src/fixtures/related/$set/." "$d/in/" ;;
    esac
    [ -n "${tr_extra_rules:-}" ] && printf '%s\n' "$tr_extra_rules" > "$d/in/extra.ini"
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-23 --out out "$@" > stdout 2> stderr)
    status=$?
    if [ "$status" = 0 ]; then ok; else
        bad "related/$name: exit $status, want 0"; sed 's/^/    /' "$d/stderr" | head -20 >&2
    fi
    if ! (cd "$d" && python3 "$tr_oracle" --as-of 2026-11-23 --out want "$@") 2> "$d/oracle.err"; then
        bad "related/$name: the oracle failed"; sed 's/^/    /' "$d/oracle.err" >&2; return
    fi
    python3 "$tr_root/cmp.py" "$d/out" "$d/want" "$d/stderr" "$d/results"
    while IFS=$'\t' read -r kind item file; do
        if [ "$kind" = ok ]; then ok; else
            bad "related/$name: $item"; sed 's/^/    /' "$file" | head -40 >&2
        fi
    done < "$d/results"
}

tr_sf="in/Opportunity.csv in/Task.csv in/Event.csv in/OpportunityHistory.csv in/OpportunityContactRole.csv"
# shellcheck disable=SC2086 # word splitting of the file lists is meant
tr_run_all() {
    # Data Loader exports, rules.ini adds a stage map to commercial_terms.
    tr_scenario sf-rules sf --rules in/rules.ini $tr_sf
    # The built-in rules: stage history gives stage_entered_date and pushes only.
    tr_scenario sf-defaults sf $tr_sf
    # The opportunities export last: a tie between a column and a Task goes
    # to the earlier file on the command line (the Task).
    tr_scenario sf-reordered sf --rules in/rules.ini in/Event.csv in/Task.csv \
        in/OpportunityContactRole.csv in/OpportunityHistory.csv in/Opportunity.csv
    # Only stage history: only commercial_terms (stage), verbal_commitment
    # (column) and the go-live date can be judged.
    tr_scenario sf-history-only sf --rules in/rules.ini in/Opportunity.csv in/OpportunityHistory.csv
    # Only contact roles: executive_sponsor is judged from them.
    tr_scenario sf-roles-only sf in/Opportunity.csv in/OpportunityContactRole.csv
    # [report] time_zone: datetimes dated in Los Angeles, pure dates unshifted.
    tr_extra_rules='[report]
time_zone = America/Los_Angeles
[milestone "commercial_terms"]
stage = Proposal/Price Quote, Negotiation/Review'
    tr_scenario sf-time-zone sf --rules in/extra.ini $tr_sf
    tr_extra_rules=
    # Salesforce report exports: 15-char ids against 18-char ids, a case twin,
    # MM/DD/YYYY dates, status-based completion, the report trailer.
    tr_scenario report report in/opportunities.csv in/activities.csv
    # A generic activities export mapped with --map and --kind.
    tr_scenario generic generic in/deals.csv in/activities.csv \
        --kind in/activities.csv=activities \
        --map 'activities.opportunity_ref=Deal Ref' --map activities.subject=Title \
        --map activities.date=When --map activities.status=Outcome
    # HubSpot: "Associated Deal IDs" holding several ids (; or ,): the row
    # evidences each deal. Deal ids are integers.
    local g=$tr_root/gen-hubspot
    mkdir -p "$g"
    printf '%s\n' 'Record ID,Deal Name,Deal Stage,Amount,Close Date,Pipeline' \
        '9001,Alpha - Suite,Presentation Scheduled,1000,2027-01-31,Sales Pipeline' \
        '9002,Beta - Suite,Appointment Scheduled,2000,2027-02-28,Sales Pipeline' \
        '9003,Gamma - Suite,Closed Won,3000,2026-10-31,Sales Pipeline' > "$g/deals.csv"
    printf '%s\n' 'Record ID,Subject,Activity date,Status,Associated Deal IDs' \
        '501,Discovery call,2026-03-02,Completed,9001;9002' \
        '502,Intro call,2026-02-01,Completed,"9002, 9003"' \
        '503,ROI review,2026-04-01,Not started,9001' \
        '504,Business case review,2026-04-02,Completed,9001' \
        '505,Demo,2026-05-01,Completed,' \
        '506,Demo,2026-05-02,Completed,7777;8888' > "$g/activities.csv"
    tr_scenario hubspot "$g" in/deals.csv in/activities.csv
    # SPEC §2 applies to evidence exports too: the generic set with `;`
    # delimiters and CRLF, the deals in UTF-8 with a BOM, the activities in
    # Windows-1252 with an accented subject and a Notes cell spanning lines
    # (later rows keep their physical line).
    g=$tr_root/gen-cp1252
    mkdir -p "$g"
    python3 - "$tr_src/fixtures/related/generic" "$g" <<'PY'
import csv, sys
src, dst = sys.argv[1:3]
def conv(name, enc, extra):
    rows = list(csv.reader(open("%s/%s" % (src, name), newline="", encoding="utf-8")))
    with open("%s/%s" % (dst, name), "w", newline="", encoding=enc) as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows[:3] + extra + rows[3:])
conv("deals.csv", "utf-8-sig", [])
conv("activities.csv", "cp1252", [
    ["OPP-002", "Présentation du devis (quote)", "2026-04-07", "Done", "line one\r\nline two\r\nline three"]])
PY
    tr_scenario generic-cp1252 "$g" in/deals.csv in/activities.csv \
        --kind in/activities.csv=activities \
        --map 'activities.opportunity_ref=Deal Ref' --map activities.subject=Title \
        --map activities.date=When --map activities.status=Outcome
    # --date-order dmy: the report set with DD/MM/YYYY dates.
    g=$tr_root/gen-dmy
    mkdir -p "$g"
    python3 - "$tr_src/fixtures/related/report" "$g" <<'PY'
import re, sys
src, dst = sys.argv[1:3]
for name in ("opportunities.csv", "activities.csv"):
    text = open("%s/%s" % (src, name), newline="", encoding="utf-8").read()
    text = re.sub(r'"(\d{1,2})/(\d{1,2})/(\d{4})"', r'"\2/\1/\3"', text)
    open("%s/%s" % (dst, name), "w", newline="", encoding="utf-8").write(text)
PY
    tr_scenario report-dmy "$g" --date-order dmy in/opportunities.csv in/activities.csv
    # Stage names compared trimmed and case-insensitively with the
    # opportunity's stage (stage_entered_date).
    g=$tr_root/gen-stagecase
    mkdir -p "$g"
    printf '%s\n' 'Id,Name,StageName,Amount,CloseDate,IsClosed,IsWon' \
        '0065g00000Sc1AaAAJ,Case One, negotiation/review ,100,2027-01-31,false,false' \
        '0065g00000Sc2AaAAJ,Case Two,Qualification,100,2027-01-31,false,false' > "$g/Opportunity.csv"
    printf '%s\n' 'Id,OpportunityId,CreatedDate,StageName,CloseDate' \
        '0085g00000Sh001AAA,0065g00000Sc1AaAAJ,2026-03-01T10:00:00.000Z,Prospecting,2027-01-31' \
        '0085g00000Sh002AAA,0065g00000Sc1AaAAJ,2026-04-01T10:00:00.000Z,Negotiation/Review,2027-02-28' \
        '0085g00000Sh003AAA,0065g00000Sc1AaAAJ,2026-05-01T10:00:00.000Z,Negotiation/Review,2027-01-31' \
        '0085g00000Sh004AAA,0065g00000Sc2AaAAJ,2026-03-01T10:00:00.000Z,Qualification,2027-01-31' \
        '0085g00000Sh005AAA,0065g00000Sc2AaAAJ,2026-03-01T10:00:00.000Z,Prospecting,2027-03-31' > "$g/OpportunityHistory.csv"
    tr_scenario stage-case "$g" in/Opportunity.csv in/OpportunityHistory.csv
    # Salesforce external-id export: What.<X> joins on the opportunities'
    # id column <X>.
    g=$tr_root/gen-extid
    mkdir -p "$g"
    printf '%s\n' 'External_Id__c,Name,StageName,Amount,CloseDate' \
        'EXT-1,Ext One,Prospecting,100,2027-01-31' \
        'EXT-2,Ext Two,Qualification,200,2027-01-31' > "$g/Opportunity.csv"
    printf '%s\n' 'What.External_Id__c,Subject,ActivityDate,Status' \
        'EXT-1,Intro call,2026-03-01,Completed' \
        'EXT-2,Demo,2026-03-02,Completed' \
        'EXT-3,Demo,2026-03-03,Completed' > "$g/Task.csv"
    tr_scenario external-id "$g" --map opportunity_id=External_Id__c \
        in/Opportunity.csv in/Task.csv
}
# SPEC §6: evidence exports without any opportunities export: exit 65.
tr_no_opportunities() {
    local d=$tr_root/no-opportunities status
    mkdir -p "$d/in"
    cp "$tr_src/fixtures/related/sf/Task.csv" "$tr_src/fixtures/related/sf/Event.csv" "$d/in/"
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-23 --out out in/Task.csv in/Event.csv \
        > stdout 2> stderr)
    status=$?
    if [ "$status" = 65 ]; then ok; else
        bad "related/no-opportunities: exit $status, want 65"; sed 's/^/    /' "$d/stderr" | head -5 >&2
    fi
}
# SPEC §6: "A role's contact title, where a contacts export gives one, feeds
# the contact_title attribute of the opportunity (the primary role's first)."
# The won deal's primary role (OpportunityContactRole.csv line 7) is contact
# 0035g00000Ct006AAA; the lost deal has no role. win_rates.csv must show
# a row contact_title,CFO: 1 closed, 1 won, 0 lost.
tr_contact_title() {
    local d=$tr_root/contact-title got
    mkdir -p "$d/in"
    cp -R "$tr_src/fixtures/related/sf/." "$d/in/"
    printf '%s\n' 'Id,Name,Title' '0035g00000Ct006AAA,Pat Doe,CFO' \
        '0035g00000Ct007AAA,Sam Roe,VP Operations' > "$d/in/Contact.csv"
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-23 --out out in/Opportunity.csv \
        in/OpportunityContactRole.csv in/Contact.csv > stdout 2> stderr)
    if grep -q '^contact_title,CFO,1,1,0,' "$d/out/win_rates.csv" 2>/dev/null; then ok; else
        got=$(grep '^contact_title,' "$d/out/win_rates.csv" 2>/dev/null | tr '\n' ' ')
        bad "related/contact-title: win_rates.csv has no row contact_title,CFO,1,1,0 (its contact_title rows: '$got')"
    fi
}
tr_run_all
tr_no_opportunities
tr_contact_title
