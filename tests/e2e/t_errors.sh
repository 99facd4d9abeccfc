# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST, $SHARED: set by run.sh
# t_errors.sh — exit statuses (SPEC §5) and one-line messages of
# `milecast forecast`, and what a slip on the command line or in a rules
# file gets (te_cli_checks), sourced by tests/e2e/run.sh (uses ok, bad,
# check, $MILECAST, $tmp). Each failing run must also leave no output
# directory (when it fails before writing) and never a stray .tmp file.

te_root=$tmp/t_errors
mkdir -p "$te_root"

# A small valid export, and a bigger one whose forecast.csv is > 64 KiB.
printf '%s\n' 'Opportunity ID,Opportunity Name,Amount' '006E1,Alpha,100' '006E2,Beta,200' \
    > "$te_root/good.csv"
awk 'BEGIN { print "Opportunity ID,Opportunity Name,Amount";
             for (i = 1; i <= 2000; i++) printf "006B%05d,Bulk deal number %d,%d.50\n", i, i, i }' \
    > "$te_root/bulk.csv"

# te_run NAME DIR ARGS...: runs milecast in DIR (created), stdout and stderr
# into $te_root/NAME.{out,err}; sets te_status.
te_run() {
    local name=$1 dir=$2
    shift 2
    mkdir -p "$dir"
    (cd "$dir" && "$MILECAST" "$@" > "$te_root/$name.out" 2> "$te_root/$name.err")
    te_status=$?
}

# te_expect NAME WANT: the status is WANT, else report it with stderr.
te_expect() {
    if [ "$te_status" = "$2" ]; then
        ok
    else
        bad "errors/$1: exit $te_status, want $2"
        sed 's/^/    /' "$te_root/$1.err" >&2
    fi
}

# te_one_line NAME TEXT: stderr holds exactly one "milecast: error: " line
# and no other "milecast: " line but warnings (printed under --quiet too:
# an export without milestone columns says so), it contains TEXT, and any
# other line is only the usage hint.
te_one_line() {
    local err=$te_root/$1.err n
    n=$(grep -c '^milecast: ' "$err")
    n=$((n - $(grep -c '^milecast: warning: ' "$err")))
    if [ "$n" != 1 ] || ! grep -q '^milecast: error: ' "$err"; then
        bad "errors/$1: $n 'milecast:' lines on stderr but warnings, want 1 error line"
        sed 's/^/    /' "$err" >&2
        return
    fi
    if grep -v '^milecast: ' "$err" | grep -qvxF "Try 'milecast --help'."; then
        bad "errors/$1: stray stderr lines"
        sed 's/^/    /' "$err" >&2
        return
    fi
    if grep -qF -- "$2" "$err"; then
        ok
    else
        bad "errors/$1: stderr lacks: $2"
        sed 's/^/    /' "$err" >&2
    fi
}

te_absent() { [ ! -e "$1" ]; }

# No ".<name>.tmp.<pid>" file may survive in an output directory.
te_no_tmp() { [ -z "$(find "$1" -name '*.tmp*' 2> /dev/null)" ]; }

te_checks() {
    local d msg

    # ---- 66: a missing input; nothing is written, not even the out dir ----
    d=$te_root/missing
    te_run missing "$d" forecast nope.csv
    te_expect missing 66
    te_one_line missing "milecast: error: nope.csv: cannot read: No such file or directory"
    check "errors/missing: no ./milecast-out" te_absent "$d/milecast-out"

    d=$te_root/missing2
    te_run missing2 "$d" forecast --out "$d/out/sub" "$te_root/good.csv" nope.csv
    te_expect missing2 66
    te_one_line missing2 "nope.csv: cannot read"
    check "errors/missing2: one missing among good inputs writes nothing" te_absent "$d/out"

    if [ "$(id -u)" != 0 ]; then
        d=$te_root/unreadable
        mkdir -p "$d"
        cp "$te_root/good.csv" "$d/locked.csv"
        chmod 000 "$d/locked.csv"
        te_run unreadable "$d" forecast locked.csv
        te_expect unreadable 66
        te_one_line unreadable "locked.csv: cannot read: Permission denied"
        check "errors/unreadable: no ./milecast-out" te_absent "$d/milecast-out"
        chmod 644 "$d/locked.csv"
    else
        echo "note: errors/unreadable skipped (root reads every file)" >&2
    fi

    # ---- 73: the output directory cannot be created ----
    d=$te_root/outfile
    mkdir -p "$d"
    : > "$d/file"
    te_run out-under-file "$d" forecast --out "$d/file/x" "$te_root/good.csv"
    te_expect out-under-file 73
    te_one_line out-under-file "cannot create directory: Not a directory"
    check "errors/out-under-file: file untouched" test ! -s "$d/file"

    # issue 19.7: said "cannot create directory: File exists"
    te_run out-is-file "$d" forecast --out "$d/file" "$te_root/good.csv"
    te_expect out-is-file 73
    te_one_line out-is-file "milecast: error: --out $d/file is a file, not a directory"
    check "errors/out-is-file: file untouched" test ! -s "$d/file"
    te_run out-is-file-bt "$d" backtest --out "$d/file" "$te_root/good.csv"
    te_expect out-is-file-bt 73
    te_one_line out-is-file-bt "milecast: error: --out $d/file is a file, not a directory"

    # ---- 64: usage errors, before anything is written ----
    d=$te_root/usage
    te_run unknown-option "$d" forecast --bogus "$te_root/good.csv"
    te_expect unknown-option 64
    te_one_line unknown-option "--bogus"

    te_run date-order "$d" forecast --date-order xyz "$te_root/good.csv"
    te_expect date-order 64
    te_one_line date-order "--date-order wants mdy, dmy or ymd, not 'xyz'"

    te_run map-nonsense "$d" forecast --map nonsense "$te_root/good.csv"
    te_expect map-nonsense 64
    te_one_line map-nonsense "--map wants FIELD=HEADER, not 'nonsense'"

    te_run map-field "$d" forecast --map 'no_such_field=Foo' "$te_root/good.csv"
    te_expect map-field 64
    te_one_line map-field 'unknown field "no_such_field"'

    # PCRE2's own wording, taken from GNU grep -P (also PCRE2) when it has it.
    msg=$(grep -P '(?i)^(' < /dev/null 2>&1 | sed -n 's/^grep: //p')
    [ -n "$msg" ] || msg="missing closing parenthesis"
    te_run map-regex "$d" forecast --map 'amount=(?i)^(' "$te_root/good.csv"
    te_expect map-regex 64
    te_one_line map-regex "$msg"

    te_run max-field "$d" forecast --max-field 10 "$te_root/good.csv"
    te_expect max-field 64
    te_one_line max-field "--max-field"

    te_run delimiter "$d" forecast --delimiter xx "$te_root/good.csv"
    te_expect delimiter 64
    te_one_line delimiter "--delimiter"

    te_run as-of "$d" forecast --as-of 2026-13-45 "$te_root/good.csv"
    te_expect as-of 64
    te_one_line as-of "--as-of"

    te_run no-input "$d" forecast
    te_expect no-input 64
    te_one_line no-input "no export given"

    te_run no-command "$d" frobnicate "$te_root/good.csv"
    te_expect no-command 64
    te_one_line no-command "frobnicate"
    check "errors/usage: no ./milecast-out after usage errors" te_absent "$d/milecast-out"

    te_run encoding "$d/enc" forecast --encoding no-such-charset "$te_root/good.csv"
    te_expect encoding 64
    te_one_line encoding "no-such-charset"
    check "errors/encoding: no .tmp left" te_no_tmp "$d/enc"
    check "errors/encoding: no forecast.csv" te_absent "$d/enc/milecast-out/forecast.csv"

    # ---- 74: write error. RLIMIT_FSIZE with SIGXFSZ ignored makes write(2)
    # fail with EFBIG: portable, no root needed. A previous run's outputs
    # must survive untouched and no .tmp file may be left. ----
    d=$te_root/fsize
    te_run fsize-prev "$d" forecast --quiet --out out "$te_root/good.csv"
    te_expect fsize-prev 0
    cp "$d/out/forecast.csv" "$te_root/prev-forecast.csv"
    mkdir -p "$d"
    (cd "$d" && trap '' XFSZ && ulimit -f 1 &&
        exec "$MILECAST" forecast --quiet --out out "$te_root/bulk.csv" \
            > "$te_root/fsize.out" 2> "$te_root/fsize.err")
    te_status=$?
    te_expect fsize 74
    # the first file to outgrow the limit fails: forecast.csv, or the
    # temporary file of the rows completed at the end, both in out/
    te_one_line fsize "out"
    te_one_line fsize "write failed: File too large"
    check "errors/fsize: no .tmp left" te_no_tmp "$d/out"
    check "errors/fsize: previous forecast.csv intact" cmp -s "$d/out/forecast.csv" "$te_root/prev-forecast.csv"

    # Issue 13.3: a write error in one file of the set leaves the whole
    # previous set: rejects.csv outgrows a 256 KiB limit while forecast.csv
    # (one row) does not. Every file of out/ must be the previous run's.
    d=$te_root/fsize-set
    te_run fsize-set-prev "$d" forecast --quiet --out out "$te_root/good.csv"
    te_expect fsize-set-prev 0
    mkdir -p "$d/prev"
    cp "$d"/out/*.csv "$d/prev/"
    awk 'BEGIN { print "Opportunity ID,Opportunity Name,Amount"; print "B1,Fine,100"
                 for (i = 0; i < 3000; i++)
                     printf "R%d,%s,not-an-amount\n", i, sprintf("%0200d", i) }' > "$te_root/big-rejects.csv"
    (cd "$d" && trap '' XFSZ && ulimit -f 500 &&
        exec "$MILECAST" forecast --quiet --out out "$te_root/big-rejects.csv" \
            > "$te_root/fsize-set.out" 2> "$te_root/fsize-set.err")
    te_status=$?
    te_expect fsize-set 74
    te_one_line fsize-set "rejects.csv: write failed: File too large"
    check "errors/fsize-set: no .tmp left" te_no_tmp "$d/out"
    for f in "$d"/prev/*.csv; do
        check "errors/fsize-set: $(basename "$f") is the previous run's" \
            cmp -s "$f" "$d/out/$(basename "$f")"
    done

    # A real ENOSPC on a 64 KiB tmpfs, when we may mount one (root, and a
    # kernel/container that allows it); skipped with a note otherwise.
    d=$te_root/tmpfs
    mkdir -p "$d/mnt"
    if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k tmpfs "$d/mnt" 2> /dev/null; then
        te_run enospc "$d" forecast --quiet --out "$d/mnt/out" "$te_root/bulk.csv"
        te_expect enospc 74
        te_one_line enospc "No space left on device"
        check "errors/enospc: no .tmp left" te_no_tmp "$d/mnt/out"
        check "errors/enospc: no partial forecast.csv" te_absent "$d/mnt/out/forecast.csv"
        umount "$d/mnt" || bad "errors/enospc: cannot unmount $d/mnt"
    else
        echo "note: errors/enospc skipped (needs root and a tmpfs mount); EFBIG covers 74" >&2
    fi
}

# Issue 19.7, "CLI rough edges": what a typing slip gets, each one line
# (and the usage hint) before anything is read or written.
te_cli_checks() {
    local d=$te_root/cli o cmd spec n

    # ---- 66 for a directory among the exports, before the first is read
    # (it was found only at its turn, after the earlier files' warnings) ----
    d=$te_root/cli-dir
    mkdir -p "$d/adir"
    te_run dir-input "$d" forecast --as-of 2026-11-23 "$te_root/good.csv" adir
    te_expect dir-input 66
    te_one_line dir-input "milecast: error: adir: is a directory"
    check "errors/dir-input: no ./milecast-out" te_absent "$d/milecast-out"
    te_run dir-input-bt "$d" backtest --as-of 2026-11-23 "$te_root/good.csv" adir
    te_expect dir-input-bt 66
    te_one_line dir-input-bt "milecast: error: adir: is a directory"
    check "errors/dir-input-bt: no ./milecast-out" te_absent "$d/milecast-out"

    # ---- 64 for an option without its value, naming the value's shape;
    # also when the next word is another option (--out --quiet) ----
    d=$te_root/cli
    for spec in 'out:DIR' 'rules:FILE' 'as-of:YYYY-MM-DD' 'map:FIELD=HEADER' 'kind:FILE=KIND' \
        'threads:a number of threads 1-1024' 'date-order:mdy, dmy or ymd' \
        'delimiter:, ; tab or |' 'encoding:NAME, such as utf-8 or windows-1252' \
        'max-field:a byte count >= 16' 'slippage:FILE'; do
        o=${spec%%:*}
        te_run "novalue-$o" "$d" forecast "$te_root/good.csv" "--$o"
        te_expect "novalue-$o" 64
        te_one_line "novalue-$o" "milecast: error: option --$o needs a value (${spec#*:})"
    done
    for spec in 'inbox:DIR' 'archive:DIR' 'settle:a number of seconds' 'retire:SOURCE' \
        'keep-days:a number of days 1-36500'; do
        o=${spec%%:*}
        te_run "novalue-$o" "$d" run "--$o"
        te_expect "novalue-$o" 64
        te_one_line "novalue-$o" "milecast: error: option --$o needs a value (${spec#*:})"
    done
    te_run novalue-next "$d" forecast --out --quiet "$te_root/good.csv"
    te_expect novalue-next 64
    te_one_line novalue-next "milecast: error: option --out needs a value (DIR)"
    te_run novalue-empty "$d" forecast --as-of= "$te_root/good.csv"
    te_expect novalue-empty 64
    te_one_line novalue-empty "milecast: error: option --as-of needs a value (YYYY-MM-DD)"
    check "errors/novalue: nothing written" te_absent "$d/milecast-out"
    check "errors/novalue: no ./--quiet" te_absent "$d/--quiet"

    # ---- 64 for run's options given to another command, which would
    # ignore them; --slippage is forecast's ----
    mkdir -p "$d/hist"
    for cmd in forecast backtest rules accuracy; do
        for spec in 'inbox:inbox' 'archive:arch' 'settle:5' 'retire:crm' 'keep-days:30'; do
            o=${spec%%:*}
            case $cmd in
                forecast | backtest) set -- "$te_root/good.csv" ;;
                accuracy) set -- hist ;;
                rules) set -- ;;
            esac
            te_run "runonly-$cmd-$o" "$d" "$cmd" "--$o" "${spec#*:}" "$@"
            te_expect "runonly-$cmd-$o" 64
            te_one_line "runonly-$cmd-$o" "milecast: error: --$o is an option of \`milecast run\`"
        done
    done
    te_run slippage-rules "$d" rules --slippage x.csv
    te_expect slippage-rules 64
    te_one_line slippage-rules "milecast: error: --slippage is an option of \`milecast forecast\`"
    check "errors/runonly: nothing written" te_absent "$d/milecast-out"

    # ---- a mistyped command or option names the nearest one; -h and
    # help are --help ----
    te_run typo-command "$d" forcast "$te_root/good.csv"
    te_expect typo-command 64
    te_one_line typo-command "milecast: error: unknown command 'forcast' (did you mean \`milecast forecast\`?)"
    te_run typo-option "$d" forecast --as_of 2026-11-23 "$te_root/good.csv"
    te_expect typo-option 64
    te_one_line typo-option "milecast: error: unknown option '--as_of' (did you mean --as-of?)"
    for o in --help -h help "forecast -h"; do
        n=help${o// /_}
        # shellcheck disable=SC2086 # "forecast -h" is two words
        te_run "$n" "$d" $o
        te_expect "$n" 0
        check "errors/$n: the usage on stdout" grep -q '^usage: milecast forecast' "$te_root/$n.out"
        check "errors/$n: nothing on stderr" test ! -s "$te_root/$n.err"
    done

    # ---- rules files: a mistyped section names the one meant (78) ----
    d=$te_root/cli-rules
    mkdir -p "$d"
    printf '[gate "pain-power"]\nprobability = 0.30\n' > "$d/hyphen.ini"
    te_run rules-hyphen "$d" rules --rules hyphen.ini
    te_expect rules-hyphen 78
    te_one_line rules-hyphen 'milecast: error: hyphen.ini:2: unknown section [gate "pain-power"]'
    te_one_line rules-hyphen 'did you mean [gate "pain_power"]?'
    printf '[reporting]\ncurrency = USD\n' > "$d/section.ini"
    te_run rules-section-hint "$d" forecast --rules section.ini "$te_root/good.csv"
    te_expect rules-section-hint 78
    te_one_line rules-section-hint 'milecast: error: section.ini:2: unknown section [reporting] (did you mean [report]?)'
    check "errors/rules-section-hint: nothing written" te_absent "$d/milecast-out"

    # ---- remove = true takes a built-in gate out: no row reaches it, no
    # calibration row names it; a removed milestone a gate requires: 78 ----
    printf '%s\n' 'Opportunity ID,Amount,Verbal Commitment Date,Stage' \
        'V1,100,2026-11-01,Negotiation' > "$d/verbal.csv"
    te_run rules-keep "$d/keep" forecast --quiet --as-of 2026-11-23 ../verbal.csv
    te_expect rules-keep 0
    printf '[gate "verbal"]\nremove = true\n' > "$d/remove.ini"
    te_run rules-remove "$d/remove" forecast --quiet --as-of 2026-11-23 --rules ../remove.ini ../verbal.csv
    te_expect rules-remove 0
    check "errors/rules-remove: without the file the deal is at gate verbal" \
        awk -F, 'NR == 2 { exit !($11 == "verbal") }' "$d/keep/milecast-out/forecast.csv"
    check "errors/rules-remove: without the file calibration has a verbal row" \
        grep -q '^verbal,' "$d/keep/milecast-out/calibration.csv"
    check "errors/rules-remove: no calibration row for the removed gate" \
        test -z "$(grep '^verbal,' "$d/remove/milecast-out/calibration.csv")"
    check "errors/rules-remove: the deal is not at gate verbal" \
        awk -F, 'NR == 2 { exit !($11 == "none") }' "$d/remove/milecast-out/forecast.csv"
    te_run rules-remove-print "$d" rules --rules remove.ini
    te_expect rules-remove-print 0
    check "errors/rules-remove: printed without the gate's keys" \
        test -z "$(grep -x 'label = Verbal' "$te_root/rules-remove-print.out")"
    cp "$te_root/rules-remove-print.out" "$d/printed.ini"
    te_run rules-remove-reread "$d" rules --rules printed.ini
    te_expect rules-remove-reread 0
    check "errors/rules-remove: the printout re-reads to the same rules" \
        cmp -s "$d/printed.ini" "$te_root/rules-remove-reread.out"
    printf '[milestone "executive_sponsor"]\nremove = true\n' > "$d/required.ini"
    te_run rules-required "$d" rules --rules required.ini
    te_expect rules-required 78
    te_one_line rules-required 'milecast: error: required.ini:2: [milestone "executive_sponsor"] cannot be removed: gate "pain_power" requires it'

    # ---- comments after a value (after a blank); '#' inside a pattern is
    # kept: a "# ID" column found by (?i)^#\s*id$ ----
    printf '%s\n' '[gate "verbal"]  # the top open gate' 'probability = 0.95  # was 0.90' \
        'label = Verbal ; a rep said yes' '[columns]' 'opportunity_id = (?i)^#\s*id$  # "# ID"' \
        > "$d/comments.ini"
    te_run rules-comments "$d" rules --rules comments.ini
    te_expect rules-comments 0
    check "errors/rules-comments: '# was 0.90' is a comment" \
        grep -qx 'probability = 0.95' "$te_root/rules-comments.out"
    check "errors/rules-comments: '; a rep said yes' is a comment" \
        grep -qx 'label = Verbal' "$te_root/rules-comments.out"
    check "errors/rules-comments: the '#' of the pattern is kept" \
        grep -qxF 'opportunity_id = (?i)^#\s*id$' "$te_root/rules-comments.out"
    printf '%s\n' '# ID,Amount' 'H1,100' 'H2,200' > "$d/hash.csv"
    te_run rules-hash "$d/hash" forecast --quiet --as-of 2026-11-23 --rules ../comments.ini ../hash.csv
    te_expect rules-hash 0
    check "errors/rules-comments: ids read from the '# ID' column" \
        test "$(cut -d, -f3 "$d/hash/milecast-out/forecast.csv" | tr '\n' ' ')" = "opportunity_id H1 H2 "
}

te_checks
te_cli_checks
