# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST, $SHARED: set by run.sh
# t_errors.sh — exit statuses (SPEC §5) and one-line messages of
# `milecast forecast`, sourced by tests/e2e/run.sh (uses ok, bad, check,
# $MILECAST, $tmp). Each failing run must also leave no output directory
# (when it fails before writing) and never a stray .tmp file.

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

# te_one_line NAME TEXT: stderr holds exactly one "milecast: " line, it
# contains TEXT, and any other line is only the usage hint.
te_one_line() {
    local err=$te_root/$1.err n
    n=$(grep -c '^milecast: ' "$err")
    if [ "$n" != 1 ]; then
        bad "errors/$1: $n 'milecast:' lines on stderr, want 1"
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
    te_one_line missing "milecast: nope.csv: cannot read: No such file or directory"
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

    te_run out-is-file "$d" forecast --out "$d/file" "$te_root/good.csv"
    te_expect out-is-file 73
    te_one_line out-is-file "$d/file"

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

te_checks
