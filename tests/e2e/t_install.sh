# shellcheck shell=bash disable=SC2154,SC2016,SC2013 # $tmp, $here, $MILECAST: set by run.sh; check's eval strings expand when run
# t_install.sh — `make install` and `make uninstall` (issue 19): the
# already built $MILECAST (perhaps an ASan build: BIN= on the command line
# builds nothing, STRIP= leaves it whole) installed under a DESTDIR with
# PREFIX=/usr, every file where Debian 12 expects it; the installed binary
# runs; both man pages render with no warning; the bash completion loads
# and completes; uninstall leaves no file. Then the same for the default
# PREFIX=/usr/local. Sourced by tests/e2e/run.sh.

ti_root=$tmp/t_install
mkdir -p "$ti_root"

# ti_make LOG TARGET VAR=VALUE...: make quietly in the source tree
ti_make() {
    local log=$1
    shift
    make -s -C "$here" --no-print-directory "$@" > "$log" 2>&1
}

# ti_left DIR: every file or link under DIR, one a line (no directories)
ti_left() { (cd "$1" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort); }

# ti_man_clean FILE: FILE (a man page, gzipped or not) renders with no
# warning and no error, by every renderer this machine has
ti_man_clean() {
    local f=$1 err=$ti_root/man.err n=0
    if command -v groff > /dev/null 2>&1; then
        n=$((n + 1))
        { zcat -f "$f" | groff -mandoc -Tutf8 -ww -z; } 2> "$err" || return 1
        [ ! -s "$err" ] || { sed 's/^/    groff: /' "$err" >&2; return 1; }
    fi
    if command -v man > /dev/null 2>&1; then
        n=$((n + 1))
        MANWIDTH=80 man --warnings -l "$f" > "$ti_root/man.out" 2> "$err" || return 1
        [ ! -s "$err" ] || { sed 's/^/    man: /' "$err" >&2; return 1; }
        grep -q '^NAME' "$ti_root/man.out" || return 1
    fi
    if command -v mandoc > /dev/null 2>&1; then
        n=$((n + 1))
        if ! zcat -f "$f" | mandoc -Tlint -Wwarning > "$err" 2>&1 || [ -s "$err" ]; then
            sed 's/^/    mandoc: /' "$err" >&2
            return 1
        fi
    fi
    [ "$n" -gt 0 ] || { echo "    no groff, man or mandoc (scripts/install-deps.sh installs groff-base)" >&2; return 1; }
}

# ti_complete SCRIPT DIR WORD...: what the completion function offers for
# the command line WORD... (the cursor at the end of the last), run in DIR
ti_complete() {
    local script=$1 dir=$2
    shift 2
    (cd "$dir" && bash --norc --noprofile -c '
        . "$1" || exit 1
        shift
        COMP_WORDS=("$@")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
        COMPREPLY=()
        _milecast || exit 1
        printf "%s\n" "${COMPREPLY[@]}"' _ "$script" "$@")
}

ti_checks() {
    local d=$ti_root/inst log=$ti_root/make.log
    local files="usr/bin/milecast
usr/share/man/man1/milecast.1.gz
usr/share/man/man5/milecast-rules.5.gz
usr/share/milecast/rules.example.ini
lib/systemd/system/milecast.service
lib/systemd/system/milecast.timer
usr/lib/sysusers.d/milecast.conf
usr/share/bash-completion/completions/milecast"

    # ---- the install builds nothing: no compiler, no object file ----
    make -n -s -C "$here" --no-print-directory install DESTDIR="$d" PREFIX=/usr \
        BIN="$MILECAST" STRIP= > "$ti_root/dry.out" 2>&1
    check "install: BIN= on the command line builds nothing" \
        eval '! grep -qE "\.o( |$)|\.a( |$)| -c " "$ti_root/dry.out"'
    check "install: STRIP= does not strip" eval '! grep -qw strip "$ti_root/dry.out"'

    if ! ti_make "$log" install DESTDIR="$d" PREFIX=/usr BIN="$MILECAST" STRIP=; then
        bad "install: make install failed"
        sed 's/^/    /' "$log" >&2
        return
    fi
    ok
    local f
    for f in $files; do
        check "install: $f installed" test -f "$d/$f"
    done
    check "install: nothing but those files" \
        eval '[ "$(ti_left "$d")" = "$(printf "%s\n" $files | LC_ALL=C sort)" ]'
    check "install: the binary is 0755" test "$(stat -c %a "$d/usr/bin/milecast")" = 755
    check "install: the data files are 0644" \
        eval '[ -z "$(cd "$d" && find . -type f ! -path ./usr/bin/milecast ! -perm 0644)" ]'
    check "install: the binary is the one given" cmp -s "$MILECAST" "$d/usr/bin/milecast"

    # ---- the installed binary runs ----
    "$d/usr/bin/milecast" rules > "$ti_root/rules.out" 2> "$ti_root/rules.err"
    check "install: installed milecast rules exits 0" test $? -eq 0
    check "install: rules.example.ini is what milecast rules prints" \
        cmp -s "$ti_root/rules.out" "$d/usr/share/milecast/rules.example.ini"
    check "install: rules.example.ini holds the ladder" \
        grep -qx 'requires = discovery_call, executive_sponsor, pain_quantified' \
        "$d/usr/share/milecast/rules.example.ini"
    "$d/usr/bin/milecast" help > "$ti_root/help.out" 2>&1
    check "install: installed milecast help exits 0" test $? -eq 0
    check "install: help prints the usage" grep -q '^usage: milecast forecast' "$ti_root/help.out"

    # ---- man pages: render clean, source and installed; paths rewritten ----
    check "install: man/milecast.1 renders with no warning" ti_man_clean "$here/man/milecast.1"
    check "install: man/milecast-rules.5 renders with no warning" \
        ti_man_clean "$here/man/milecast-rules.5"
    check "install: installed milecast.1.gz renders with no warning" \
        ti_man_clean "$d/usr/share/man/man1/milecast.1.gz"
    check "install: installed milecast-rules.5.gz renders with no warning" \
        ti_man_clean "$d/usr/share/man/man5/milecast-rules.5.gz"
    check "install: milecast.1 names the installed paths" \
        eval 'zcat "$d/usr/share/man/man1/milecast.1.gz" | grep -q "^\.It Pa /lib/systemd/system/milecast\.service" &&
              zcat "$d/usr/share/man/man1/milecast.1.gz" | grep -q "^\.It Pa /usr/share/milecast/rules\.example\.ini"'
    check "install: no /usr/local path left in the man pages" \
        eval '! zcat "$d"/usr/share/man/man*/*.gz | grep -v "^\.\\\\\"" | grep -q /usr/local'

    # every option of the option table is in milecast(1), every key of
    # `milecast rules` in milecast-rules(5)
    local o missing=""
    for o in $(sed -n 's/^    {"\([a-z-]*\)", OPT_.*/\1/p' "$here/cmd/milecast/main.c"); do
        grep -qE "^\.It (.* )?Fl \\\\-${o//-/\\\\-}( |$)" "$here/man/milecast.1" || missing="$missing --$o"
    done
    check "install: milecast.1 documents every option (missing:${missing:- none})" test -z "$missing"
    missing=""
    for o in $(sed -n 's/^\([a-z_]*\) =.*/\1/p' "$ti_root/rules.out" | LC_ALL=C sort -u); do
        grep -q "^\.It Li $o\$" "$here/man/milecast-rules.5" || missing="$missing $o"
    done
    check "install: milecast-rules.5 documents every key (missing:${missing:- none})" test -z "$missing"

    # ---- systemd units and the user ----
    local svc=$d/lib/systemd/system/milecast.service
    check "install: service runs the installed binary" \
        grep -qx 'ExecStart=/usr/bin/milecast run --quiet --inbox /srv/crm/inbox --out /srv/crm/forecast' "$svc"
    check "install: service User=milecast" grep -qx 'User=milecast' "$svc"
    check "install: service UMask=0027" grep -qx 'UMask=0027' "$svc"
    check "install: service takes 75 (locked) as success" grep -qx 'SuccessExitStatus=75' "$svc"
    check "install: timer at 02:15" grep -qx 'OnCalendar=\*-\*-\* 02:15:00' "$d/lib/systemd/system/milecast.timer"
    check "install: sysusers declares milecast" grep -q '^u milecast ' "$d/usr/lib/sysusers.d/milecast.conf"

    # ---- bash completion ----
    local comp=$d/usr/share/bash-completion/completions/milecast cd_=$ti_root/cwd
    mkdir -p "$cd_/outdir" && : > "$cd_/team.ini" && : > "$cd_/deals.csv" && : > "$cd_/notes.txt"
    check "install: completion loads and registers _milecast" \
        eval '[ "$(bash --norc --noprofile -c ". \"\$1\" && complete -p milecast" _ "$comp")" = "complete -F _milecast milecast" ]'
    check "install: completion: milecast fo -> forecast" \
        test "$(ti_complete "$comp" "$cd_" milecast fo)" = forecast
    check "install: completion: milecast forecast --ru -> --rules" \
        test "$(ti_complete "$comp" "$cd_" milecast forecast --ru)" = --rules
    check "install: completion: --rules te -> team.ini" \
        test "$(ti_complete "$comp" "$cd_" milecast forecast --rules te)" = team.ini
    check "install: completion: --out=ou -> outdir" \
        test "$(ti_complete "$comp" "$cd_" milecast forecast --out = ou)" = outdir
    check "install: completion: forecast exports, not notes.txt" \
        test "$(ti_complete "$comp" "$cd_" milecast forecast '' | LC_ALL=C sort | tr '\n' ' ')" = "deals.csv outdir "
    check "install: completion: run --ar -> --archive" \
        test "$(ti_complete "$comp" "$cd_" milecast run --ar)" = --archive
    check "install: completion: --archive is run's only" \
        test -z "$(ti_complete "$comp" "$cd_" milecast forecast --ar)"
    check "install: completion: --date-order d -> dmy" \
        test "$(ti_complete "$comp" "$cd_" milecast forecast --date-order d)" = dmy

    # ---- uninstall leaves nothing ----
    if ti_make "$log" uninstall DESTDIR="$d" PREFIX=/usr; then ok; else
        bad "install: make uninstall failed"; sed 's/^/    /' "$log" >&2
    fi
    check "install: uninstall leaves no file (left: $(ti_left "$d" | tr '\n' ' '))" \
        test -z "$(ti_left "$d")"

    # ---- the default prefix, /usr/local ----
    local d2=$ti_root/inst-local
    if ti_make "$log" install DESTDIR="$d2" PREFIX=/usr/local BIN="$MILECAST" STRIP=; then
        check "install: /usr/local: units under /usr/local/lib/systemd/system" \
            grep -qx 'ExecStart=/usr/local/bin/milecast run --quiet --inbox /srv/crm/inbox --out /srv/crm/forecast' \
            "$d2/usr/local/lib/systemd/system/milecast.service"
        check "install: /usr/local: eight files" test "$(ti_left "$d2" | wc -l)" -eq 8
        check "install: /usr/local: completion in share/bash-completion" \
            test -f "$d2/usr/local/share/bash-completion/completions/milecast"
        ti_make "$log" uninstall DESTDIR="$d2" PREFIX=/usr/local
        check "install: /usr/local: uninstall leaves no file" test -z "$(ti_left "$d2")"
    else
        bad "install: make install PREFIX=/usr/local failed"; sed 's/^/    /' "$log" >&2
    fi
}
ti_checks
