#!/bin/bash
# gen-currency-names.sh — writes pkg/currency_names.h, the table of currency
# names mc_money_currency_parse (pkg/money.c) reads a currency column with.
#
# Some exports write the currency as its name, not its code: Dynamics 365
# "Export to Excel" says "US Dollar", "Euro", "Pound Sterling", "Japanese
# Yen". The names come from Debian's iso-codes (iso_4217.json: alpha_3 and
# name), plus the short alias list below for names CRMs show that iso-codes
# spells differently. milecast never reads iso-codes at run time: this script
# is run by hand when iso-codes changes and its output is committed.
#
# The table holds (normalized name, code) pairs sorted by strcmp() of the
# name (byte order), so money.c can binary search it. "Normalized" is what
# money.c does to its input: ASCII letters lowercased, surrounding whitespace
# dropped, inner runs of whitespace made one space; other bytes (UTF-8) are
# kept as they are.
#
# Usage: scripts/gen-currency-names.sh [OUT]   (default: pkg/currency_names.h
#        next to this script). Needs bash, jq and the iso-codes package.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$(cd "$here/.." && pwd)/pkg/currency_names.h}
json=/usr/share/iso-codes/json/iso_4217.json

die() {
    echo "gen-currency-names: $*" >&2
    exit 1
}

command -v jq >/dev/null 2>&1 || die "jq not found (apt-get install jq)"
version=$(dpkg-query -W -f='${Version}' iso-codes 2>/dev/null) ||
    die "the iso-codes package is not installed (apt-get install iso-codes)"
if [ -z "$version" ] || [ ! -r "$json" ]; then
    die "$json not readable: is iso-codes installed (apt-get install iso-codes)?"
fi

# ---- what iso-codes lists but nobody prices a deal in ----------------------
# X codes are, with a few exceptions, not money: precious metals (XAU gold,
# XAG, XPD, XPT), bond-market units of account (XBA-XBD), the IMF's SDR
# (XDR), ALBA's Sucre (XSU), the ADB unit (XUA), the testing code (XTS) and
# "no currency" (XXX). The exceptions are real circulating currencies and
# stay: XAF and XOF (the CFA francs of 14 Central and West African states),
# XCD (East Caribbean dollar), XPF (CFP franc) and XCG (Caribbean guilder,
# in newer iso-codes releases).
x_keep="XAF XCD XCG XOF XPF"
# Fund codes and indexed units of account, which price bonds and contracts,
# not sales: their names ("Mvdol", "Unidad de Fomento", "WIR Euro", "US
# Dollar (Next day)") would otherwise be read as currencies. The bare codes
# still parse like any code; only the names are left out.
funds="BOV CHE CHW CLF COU MXV USN UYI UYW"

# ---- aliases: names CRMs show that iso-codes spells differently ------------
# Each line: NAME<TAB>CODE. Only names iso-codes lacks (checked below: an
# alias iso-codes has with the same code is skipped with a note, one it has
# with another code stops the script). No bare generic word: "Dollar",
# "Peso", "Franc", "Krone", "Pound", "Rupee", "Dinar" each name many
# currencies, so guessing one would silently convert a deal at the wrong
# rate; such a value is rejected (bad_currency) where the user sees it.
# "Pound" is left out for that reason although English usage means GBP:
# nine ISO currencies are pounds (EGP, LBP, SYP and SDG among them).
aliases=$(
    cat <<'EOF'
British Pound	GBP
Japanese Yen	JPY
Chinese Yuan	CNY
Chinese Yuan Renminbi	CNY
Renminbi	CNY
Korean Won	KRW
South Korean Won	KRW
Polish Zloty	PLN
Hungarian Forint	HUF
Israeli Shekel	ILS
New Israeli Shekel	ILS
Israeli New Shekel	ILS
Emirati Dirham	AED
Peruvian Sol	PEN
South African Rand	ZAR
EOF
)

# Normalization, the same as money.c's (jq's ascii_downcase is ASCII-only).
norm='def norm: gsub("^\\s+|\\s+$"; "") | gsub("\\s+"; " ") | ascii_downcase;'

iso=$(jq -r --arg keep "$x_keep" --arg funds "$funds" "$norm"'
    ($keep | split(" ")) as $k | ($funds | split(" ")) as $f
    | .["4217"][]
    | select((.alpha_3 | startswith("X") | not) or (.alpha_3 | IN($k[])))
    | select(.alpha_3 | IN($f[]) | not)
    | [(.name | norm), .alpha_3, .name] | @tsv' "$json")
[ -n "$iso" ] || die "no currencies read from $json"
all_codes=$(jq -r '.["4217"][].alpha_3' "$json")

alias_rows=""
while IFS=$'\t' read -r name code; do
    n=$(jq -rn --arg s "$name" "$norm"' $s | norm')
    have=$(awk -F'\t' -v n="$n" '$1 == n { print $2 }' <<<"$iso")
    if [ -n "$have" ]; then
        [ "$have" = "$code" ] ||
            die "alias \"$name\" is $code here but $have in iso-codes"
        echo "gen-currency-names: note: iso-codes $version has \"$name\"; alias skipped" >&2
        continue
    fi
    alias_rows+="$n"$'\t'"$code"$'\t'"alias"$'\n'
done <<<"$aliases"

# A name iso-codes gives to two codes is ambiguous like "Dollar" and is left
# out (in 4.15: "Leone" is SLE and the withdrawn SLL, 1000 to 1; "Bolívar
# Soberano" is VES and VED, a million to 1).
rows=$(printf '%s\n%s' "$iso" "$alias_rows" | sed '/^$/d' | LC_ALL=C sort -t$'\t' -u -k1,1 -k2,2)
dups=$(cut -f1,2 <<<"$rows" | LC_ALL=C sort -u | cut -f1 | uniq -d)
if [ -n "$dups" ]; then
    while IFS= read -r d; do
        echo "gen-currency-names: note: \"$d\" names several codes; left out" >&2
    done <<<"$dups"
    rows=$(awk -F'\t' 'NR == FNR { dup[$0] = 1; next } !($1 in dup)' \
        <(printf '%s\n' "$dups") <(printf '%s\n' "$rows"))
fi
dropped=$(tr '\n' ',' <<<"$dups" | sed 's/,$//; s/,/, /g')

# Sanity: names unique, ASCII-safe for a C string, and no 3-letter name that
# is also a code (money.c looks names up before taking three letters as a
# code, so "Yen" is JPY; a name equal to a code would hide that code).
[ -z "$(cut -f1 <<<"$rows" | uniq -d)" ] || die "duplicate names after dedup"
if grep -q '["\\]' <<<"$rows"; then die "a name holds a quote or backslash"; fi
while IFS=$'\t' read -r n _ _; do
    if [ ${#n} -eq 3 ] && grep -qixF "$n" <<<"$all_codes"; then
        die "the name \"$n\" is also an ISO 4217 code"
    fi
done <<<"$rows"

count=$(wc -l <<<"$rows")
maxlen=$(cut -f1 <<<"$rows" | LC_ALL=C awk '{ if (length($0) > m) m = length($0) } END { print m }')

tmp=$(mktemp "${out}.XXXXXX")
trap 'rm -f "$tmp"' EXIT
{
    cat <<EOF
/*
 * currency_names.h — GENERATED by scripts/gen-currency-names.sh from
 * iso-codes $version (/usr/share/iso-codes/json/iso_4217.json). Do not edit:
 * change the script and run it again.
 *
 * Currency names mc_money_currency_parse (money.c) accepts, normalized
 * (ASCII lowercase, single spaces) and sorted by strcmp() so money.c can
 * binary search them. Left out: X codes that are not money (metals, units
 * of account, XDR, XTS, XXX), fund codes ($funds),
 * and names that iso-codes gives to two codes (${dropped:-none}).
 * Entries marked alias are the script's own, not iso-codes'.
 */
#ifndef MC_CURRENCY_NAMES_H
#define MC_CURRENCY_NAMES_H

/* Bytes of the longest name, NUL not included. */
#define MC_CURRENCY_NAME_MAX $maxlen

static const struct {
    const char *name;
    char code[4];
} mc_currency_names[$count] = {
EOF
    # Bytes >= 0x80 as octal escapes: a \x escape would swallow a following
    # hex-digit letter ("\x99a"), an octal one stops at three digits.
    while IFS=$'\t' read -r n code src; do
        lit=$(LC_ALL=C od -An -v -tu1 <<<"$n" | tr -s ' ' '\n' | sed '/^$/d' |
            LC_ALL=C awk '$1 == 10 { next }
                $1 >= 128 { printf "\\%03o", $1; next }
                { printf "%c", $1 }')
        if [ "$src" = alias ]; then
            note="alias"
        else
            note="iso: $src"
        fi
        printf '    {"%s", "%s"}, /* %s */\n' "$lit" "$code" "$note"
    done <<<"$rows"
    cat <<EOF
};

#endif
EOF
} >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$out"
trap - EXIT
echo "gen-currency-names: wrote $out ($count names, iso-codes $version)" >&2
