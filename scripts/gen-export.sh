#!/bin/sh
# gen-export.sh — writes a large synthetic Salesforce report export to stdout.
#
# Input for scripts/bench.sh (and anyone who needs a big realistic file): the
# "Export Details" CSV of an Opportunity report with the milestone evidence
# columns milecast reads, every cell quoted, CRLF line endings, and the
# Salesforce trailer at the end. Same arguments, same bytes: the generator is
# a Park-Miller PRNG in plain awk arithmetic (every product stays below 2^53,
# so gawk and mawk, which compute in doubles, agree exactly; awk's rand() is
# not used because it differs between awks).
#
# Usage: scripts/gen-export.sh ROWS [SEED] > export.csv
set -eu

usage() {
    echo "usage: $0 ROWS [SEED]   (ROWS, SEED: non-negative integers)" >&2
    exit 64
}
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
rows=$1
seed=${2:-1}
case $rows in '' | *[!0-9]*) usage ;; esac
case $seed in '' | *[!0-9]*) usage ;; esac

# mawk is several times faster than gawk here; output is the same with any.
AWK="awk"
command -v mawk >/dev/null 2>&1 && AWK=mawk

# LC_ALL=C: byte semantics and "." decimals whatever the caller's locale.
LC_ALL=C exec "$AWK" -v rows="$rows" -v seed="$seed" '
# Park-Miller "minimal standard": S*16807 < 2^46, exact in a double.
function rnd(n) { S = (S * 16807) % 2147483647; return S % n }
function pick(arr, n) { return arr[rnd(n)] }

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
# A date cell: US MM/DD/YYYY or ISO YYYY-MM-DD (day index into the tables).
function d_us(d) { return US[d] }
function d_any(d) { return rnd(3) ? US[d] : ISO[d] }

# Thousands separators on a whole number of dollars.
function commas(d) {
    if (d >= 1000000)
        return sprintf("%d,%03d,%03d", int(d / 1000000), int(d / 1000) % 1000, d % 1000)
    if (d >= 1000)
        return sprintf("%d,%03d", int(d / 1000), d % 1000)
    return sprintf("%d", d)
}
function amount(   t, d, c) {
    t = rnd(20)
    if (t == 0) return ""                      # 5 %: empty amount
    if (t < 10) d = 1000 + rnd(49000)
    else if (t < 17) d = 50000 + rnd(450000)
    else d = 500000 + rnd(4500000)
    c = rnd(4) ? 0 : rnd(100)
    t = rnd(10)
    if (t < 5) return commas(d) sprintf(".%02d", c)
    if (t < 9) return sprintf("%d.%02d", d, c)
    return sprintf("%d", d)
}
function impl_time(   t) {
    t = rnd(7)
    if (t == 0) return ""
    if (t <= 2) return sprintf("%d", 30 + 15 * rnd(11))
    if (t == 3) return sprintf("%d days", 30 + 15 * rnd(11))
    if (t == 4) return sprintf("%d weeks", 4 + rnd(23))
    return sprintf("%d months", 1 + rnd(9))
}
# Is a milestone done at progress p whose gate needs level need? Mostly by
# the process, with noise both ways (skipped gates, stale CRM fields).
function has(p, need) { return p >= need ? rnd(100) < 88 : rnd(100) < 4 }

# Cells are stored CSV-escaped (quotes already doubled) so a row is joined
# without a gsub per cell.
function load(arr, s,   n, k) { n = split(s, TMP, "|"); for (k = 1; k <= n; k++) arr[k - 1] = TMP[k]; return n }

BEGIN {
    ORS = "\r\n"
    S = ((seed % 2147483646) * 7919 + 12345) % 2147483646 + 1
    for (i = 0; i < 7; i++) rnd(2)             # let a small seed spread out

    NACC = load(ACC, "Acme Corp|Globex, Inc.|Initech|Umbrella Corporation|Stark Industries|Wayne Enterprises, LLC|M\303\274ller & S\303\266hne GmbH|O'\''Brien Logistics|Soylent \"\"Green\"\" Foods|Tyrell Corp|Cyberdyne Systems|Hooli|Pied Piper|Vandelay Industries|Dunder Mifflin Paper Co.|Nakatomi Trading|Oceanic Airlines|Blue Sun, Ltd.|Gringotts Bank|\305\201\303\263d\305\272 Manufacturing S.A.|Massive Dynamic|Wonka Industries|Sirius Cybernetics|Prestige Worldwide|Bluth Company|Los Pollos Hermanos|Krusty Krab, Inc.|Aperture Science|Black Mesa|Monsters, Inc.|Rekall|Virtucon|Gekko & Co|Strickland Propane|Sterling Cooper|Kr\303\244mer AG|Zorg Industries|Omni Consumer Products|Spacely Sprockets|Cogswell Cogs")
    NREG = load(REG, "EMEA|APAC|North America|LATAM|DACH|Nordics")
    NPROD = load(PROD, "Platform License|Analytics Add-On|Enterprise Renewal|Professional Services|Data Migration|Support Upgrade|Starter Pack|Security Suite|Seats Expansion|Pilot")
    NOWN = load(OWN, "Ana S\303\241nchez|Bob O'\''Neil|Chen Wei|Dana Whitfield|Eli Ross|Fatima Zahra|G\303\274nter Schmidt|Hiro Tanaka|Isabel Moreau|Jamal Carter|Kate Brennan|Liam O'\''Connor|Maya Patel|Noah Kim|Olga Ivanova|Pablo Ruiz|Quinn Harper|Rosa Lindqvist|Sam Okafor|Tess Nguyen")
    NLEAD = load(LEAD, "Web|Phone Inquiry|Partner Referral|Purchased List|Trade Show|Employee Referral|Webinar|Other|")
    NIND = load(IND, "Technology|Finance|Healthcare|Manufacturing|Retail|Energy|Media & Entertainment|Government|Education, Higher Ed|Telecommunications|Transportation|")
    NSTG = load(STG, "Prospecting|Qualification|Needs Analysis|Value Proposition|Id. Decision Makers|Perception Analysis|Proposal/Price Quote|Negotiation/Review")
    NSPON = load(SPON, "Jane Doe, CFO|Raj Mehta, VP Operations|Li Na, CIO|Marc Dubois|Yes|Confirmed - \"\"exec buy-in\"\" on call|Sarah Connor, COO|x")
    NNOSP = load(NOSP, "|||TBD|No|Pending|n/a")
    NCRIT = load(CRIT, "Yes|Security review; TCO; \"\"SOC 2\"\" report|Documented|Price, integrations, support SLA|done|Y")
    NTERM = load(TERM, "Net 30, annual prepay|Yes|Agreed|3-year term, 5% uplift|Understood|true")
    NCONT = load(CONT, "MSA + Order Form, legal review 2 weeks|Yes|Procurement portal (\"\"Ariba\"\")|Redlines via legal|Mapped|1")
    NSHORT = load(SHORT, "TRUE|Yes|x|Shortlisted vs. \"\"Competitor A\"\"")
    NNO = load(NO, "||||No|FALSE|0|none|tbd")

    # Date tables for 2023-01-01 .. 2029-12-31 (day 0 = 2023-01-01).
    base = 19358
    for (d = 0; d < 2557; d++) {
        civil(base + d)
        US[d] = sprintf("%02d/%02d/%04d", CM, CD, CY)
        ISO[d] = sprintf("%04d-%02d-%02d", CY, CM, CD)
    }

    print "\"Opportunity ID\",\"Opportunity Name\",\"Account Name\",\"Opportunity Owner\",\"Stage\",\"Amount\",\"Amount Currency\",\"Close Date\",\"Created Date\",\"Lead Source\",\"Industry\",\"Go-Live Date\",\"Implementation Time\",\"Discovery Call Date\",\"Executive Sponsor\",\"Pain Quantified ($)\",\"Decision Criteria\",\"Commercial Terms\",\"Timeline Confirmed\",\"Short-Listed\",\"Contracting Process\",\"Verbal Commitment Date\""

    Q = "\""; SEP = "\",\""
    for (i = 1; i <= rows; i++) {
        acc = ACC[rnd(NACC)]
        if (rnd(3) == 0) acc = acc " " REG[rnd(NREG)]
        name = acc " - " PROD[rnd(NPROD)]
        t = rnd(10)
        if (t == 0) name = name ", Phase " (2 + rnd(3))
        else if (t == 1) name = name " (\"\"Q" (1 + rnd(4)) " push\"\")"

        # Stage and how far along the milestone process the deal really is.
        t = rnd(100)
        if (t < 20) { stage = "Closed Won"; p = 8 }
        else if (t < 50) { stage = rnd(10) ? "Closed Lost" : "Closed Lost - No Decision"; p = rnd(8) }
        else { p = rnd(NSTG); stage = STG[p] }

        # Day 0 is 2023-01-01; closed deals closed before 2026-11-23 (day 1422).
        created = (p == 8 || stage ~ /^Closed/) ? rnd(1100) : rnd(1400)
        closed_on = created + 14 + rnd(300)
        span = closed_on - created + 1
        cur = (i > 1 && rnd(100) == 0) ? (rnd(2) ? "EUR" : "GBP") : "USD"

        golive = ""; impl = ""
        if (has(p, 6) || rnd(5) == 0) { golive = d_any(closed_on + 30 + rnd(150)); impl = impl_time() }
        disc = has(p, 2) ? d_any(created + rnd(span)) : NO[rnd(NNO)]
        spon = has(p, 2) ? SPON[rnd(NSPON)] : NOSP[rnd(NNOSP)]
        if (has(p, 2)) { t = rnd(3); pain = t == 0 ? "Yes" : t == 1 ? "$" commas(10000 * (1 + rnd(200))) : sprintf("%d", 5000 * (1 + rnd(400))) }
        else pain = NO[rnd(NNO)]
        crit = has(p, 4) ? CRIT[rnd(NCRIT)] : NO[rnd(NNO)]
        term = has(p, 4) ? TERM[rnd(NTERM)] : NO[rnd(NNO)]
        tl = has(p, 4) ? (rnd(2) ? d_us(created + rnd(span)) : "Yes") : NO[rnd(NNO)]
        short = has(p, 6) ? SHORT[rnd(NSHORT)] : NO[rnd(NNO)]
        cont = has(p, 6) ? CONT[rnd(NCONT)] : NO[rnd(NNO)]
        verbal = has(p, 7) ? d_any(closed_on - rnd(14)) : ""

        print Q sprintf("006Hs0000%07dAQ", i) SEP name SEP acc SEP OWN[rnd(NOWN)] SEP stage SEP amount() SEP cur SEP d_us(closed_on) SEP d_us(created) SEP LEAD[rnd(NLEAD)] SEP IND[rnd(NIND)] SEP golive SEP impl SEP disc SEP spon SEP pain SEP crit SEP term SEP tl SEP short SEP cont SEP verbal Q
    }

    print ""
    print "\"Grand Totals (" rows " records)\""
    print "\"Confidential Information - Do Not Distribute\""
    print "\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\""
}'
