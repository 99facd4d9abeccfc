#!/bin/sh
# gen-activities.sh — writes a synthetic Salesforce Task export (Data Loader
# `extract` style: API names, 18-char ids, YYYY-MM-DD dates, ISO datetimes in
# GMT, true/false booleans, LF line endings) for the opportunities of an
# export made by scripts/gen-export.sh, to stdout.
#
# Input for scripts/bench.sh's evidence case (SPEC §6): PER_OPP tasks
# (default 10) for every opportunity id of OPPORTUNITIES (its first column,
# "Opportunity ID"; "-" reads stdin). Most tasks are related to their
# opportunity (WhatId 006…); a few percent to its account (001…), a few
# have no WhatId, and about 1 % name an opportunity id the export does not
# hold. Subjects mix ones the built-in activity rules match ("Discovery
# call", "Send proposal", "Legal review"…) with ones they do not ("Check
# in", "Left voicemail"…); about 60 % of the tasks are closed, 1 % deleted,
# ActivityDate in 2025-2026.
#
# Tasks are interleaved the way an export ordered by Id is: the tasks of
# about 64 opportunities at a time, one after another in random order. It
# streams: memory holds those 64 ids, never the rows. Same arguments, same
# bytes: the generator is gen-export.sh's Park-Miller PRNG in plain awk
# arithmetic (gawk and mawk agree exactly; awk's rand() is not used).
#
# Usage: scripts/gen-activities.sh OPPORTUNITIES [PER_OPP [SEED]] > Task.csv
set -eu

usage() {
    echo "usage: $0 OPPORTUNITIES [PER_OPP [SEED]]   (PER_OPP, SEED: non-negative integers)" >&2
    exit 64
}
if [ $# -lt 1 ] || [ $# -gt 3 ]; then usage; fi
opps=$1
per_opp=${2:-10}
seed=${3:-1}
case $per_opp in '' | *[!0-9]*) usage ;; esac
case $seed in '' | *[!0-9]*) usage ;; esac
if [ "$opps" = - ]; then
    opps=/dev/stdin
elif [ ! -r "$opps" ]; then
    echo "$0: $opps: cannot read" >&2
    exit 66
fi

# mawk is several times faster than gawk here; output is the same with any.
AWK="awk"
command -v mawk >/dev/null 2>&1 && AWK=mawk

# LC_ALL=C: byte semantics whatever the caller's locale.
LC_ALL=C exec "$AWK" -v opps="$opps" -v per_opp="$per_opp" -v seed="$seed" '
# Park-Miller "minimal standard": S*16807 < 2^46, exact in a double.
function rnd(n) { S = (S * 16807) % 2147483647; return S % n }

# Days since 1970-01-01 to Y-M-D (Hinnant civil_from_days; z > 0 here).
function civil(z,   era, doe, yoe, doy, mp) {
    z += 719468
    era = int(z / 146097); doe = z - era * 146097
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
    doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
    mp = int((5 * doy + 2) / 153)
    CD = doy - int((153 * mp + 2) / 5) + 1
    CM = mp < 10 ? mp + 3 : mp - 9
    CY = yoe + era * 400 + (CM <= 2)
}

# Cells are stored CSV-escaped (quoted where needed, quotes doubled).
function load(arr, s,   n, k) { n = split(s, TMP, "|"); for (k = 1; k <= n; k++) arr[k - 1] = TMP[k]; return n }

function die(msg, code) { printf "gen-activities: %s: %s\n", opps, msg > "/dev/stderr"; exit code }

# The next opportunity id of the export into ID (its first cell, quoted or
# not); 0 at the end. Blank rows and the report trailer ("Grand Totals…",
# the confidentiality lines) are skipped: their first cell is not an id.
function next_id(   line, r, id, q) {
    for (;;) {
        r = (getline line < opps)
        if (r < 0) die("read error", 74)
        if (r == 0) return 0
        LINE++
        sub(/\r$/, "", line)
        if (substr(line, 1, 1) == "\"") {
            q = index(substr(line, 2), "\"")
            id = q ? substr(line, 2, q - 1) : ""
        } else {
            q = index(line, ",")
            id = q ? substr(line, 1, q - 1) : line
        }
        if ((length(id) == 15 || length(id) == 18) && id ~ /^[0-9A-Za-z]+$/) {
            ID = id
            NOPP++
            return 1
        }
    }
}

# One task about the opportunity whose id is oid.
function task(oid,   t, what, who, st, closed, act, cre) {
    NTASK++
    t = rnd(100)
    if (t < 3) what = "001" substr(oid, 4)          # the account (same tail)
    else if (t < 6) what = ""                       # related to nothing
    else if (t < 7) what = sprintf("006Hs0001%07dAQ", rnd(9999999))  # not in the export
    else what = oid
    t = rnd(20)
    if (t == 0) who = ""
    else if (t == 1) who = sprintf("00QHs0000%07dAQ", rnd(9999999))  # a lead
    else who = sprintf("003Hs0000%07dAQ", rnd(9999999))              # a contact
    t = rnd(100)
    if (t < 60) { st = "Completed"; closed = "true" }
    else if (t < 75) { st = "Not Started"; closed = "false" }
    else if (t < 87) { st = "In Progress"; closed = "false" }
    else if (t < 94) { st = "Waiting on someone else"; closed = "false" }
    else { st = "Deferred"; closed = "false" }
    act = 31 + rnd(730)                             # 2025-01-01 .. 2026-12-31
    cre = act - rnd(31)
    print sprintf("00THs%011dAQ", NTASK) "," who "," what "," SUBJ[rnd(NSUBJ)] "," \
        DAY[act] "," st "," closed "," (rnd(100) ? "false" : "true") "," \
        DAY[cre] sprintf("T%02d:%02d:%02d.000Z", 7 + rnd(12), rnd(60), rnd(60)) "," \
        SUB[rnd(NSUB)]
}

BEGIN {
    ORS = "\n"
    S = ((seed % 2147483646) * 7919 + 12345) % 2147483646 + 1
    for (i = 0; i < 7; i++) rnd(2)             # let a small seed spread out

    # Weighted by repetition: matched by the built-in rules (SPEC §6) or not.
    NSUBJ = load(SUBJ, "Discovery call|Discovery call|Intro call|Intro call|Introductory meeting|Qualification call|Product demo|Demo follow-up|Send proposal|Send proposal|Send quote|Pricing discussion|Security review|RFP response|Requirements workshop|Legal review|Procurement call|Purchase order received|Redlines sent|Contract sent|NDA signed|Mutual action plan|Close plan review|ROI workshop|Business case review|Shortlist confirmed|Verbal yes|Inbound lead follow-up|Follow-up email|Follow-up email|Follow-up email|Email: Re: next steps|\"Re: pricing, next steps\"|\"Call re \"\"Q3 push\"\"\"|Check in|Check in|Left voicemail|Left voicemail|Call|Call|Email|Lunch with champion|Send case study|Quarterly business review|Renewal reminder|Onboarding kickoff")
    NSUB = load(SUB, "Task|Task|Task|Call|Call|Call|Email|Email|Email|ListEmail|Cadence|LinkedIn")

    # Date table: day 0 = 2024-12-01 .. day 760 = 2026-12-31.
    for (d = 0; d <= 760; d++) {
        civil(20058 + d)
        DAY[d] = sprintf("%04d-%02d-%02d", CY, CM, CD)
    }

    print "Id,WhoId,WhatId,Subject,ActivityDate,Status,IsClosed,IsDeleted,CreatedDate,TaskSubtype"

    # The header: the id must be the first column (as gen-export.sh writes it).
    if ((getline hdr < opps) <= 0) die("empty or unreadable", 66)
    sub(/\r$/, "", hdr)
    h = hdr; sub(/,.*/, "", h); gsub(/"/, "", h); sub(/^\357\273\277/, "", h)
    if (tolower(h) != "opportunity id" && tolower(h) != "id")
        die("first column is \"" h "\", not \"Opportunity ID\" (a gen-export.sh export?)", 65)

    # A window of W opportunities, each with its tasks still to write; a
    # finished one makes room for the next id of the export.
    W = 64; n = 0
    if (per_opp > 0)
        while (n < W && next_id()) { WID[n] = ID; LEFT[n] = per_opp; n++ }
    while (n > 0) {
        k = rnd(n)
        task(WID[k])
        if (--LEFT[k] == 0) {
            if (next_id()) { WID[k] = ID; LEFT[k] = per_opp }
            else { n--; WID[k] = WID[n]; LEFT[k] = LEFT[n] }
        }
    }
    close(opps)
    if (per_opp > 0 && NOPP == 0) die("no opportunity ids in the first column", 65)
}'
