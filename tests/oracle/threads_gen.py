#!/usr/bin/env python3
"""threads_gen.py — a CSV export built to land its hard bytes on chunk edges.

Input for tests/e2e/t_threads.sh, which checks that `--threads N` and the
hidden MILECAST_CHUNK=BYTES never change a byte of milecast's outputs. The
parallel reader cuts a file into chunks at record boundaries guessed by a
quote-parity scan; this file puts, at many multiples of 1024 bytes (so of
4096 too), the bytes that such a cut can get wrong: the CR/LF pair that ends
a record (CR one byte before, on, and after the edge), a CRLF or LF inside a
quoted field, a doubled quote "" split in two, the quotes that open and
close a quoted field, a 3-byte UTF-8 character split across the edge, and a
blank line. Beside those: a UTF-8 BOM, LF-only record ends among the CRLF
ones, blank lines, rejected rows (bad amount, wrong field count, no id),
and no newline after the last record. With STRAYS (1 to 3), that many
stray quotes inside unquoted fields, each on an edge, from two thirds of
the file on: each flips the quote parity of everything after it, so the
scan's guess is wrong and the reader must fall back (to one parser for the
rest of the file: hence late, so that most edges are still cut in
parallel). Without, every cut the scan guesses is right.

Usage: threads_gen.py ROWS [SEED [STRAYS]] > export.csv   (same arguments, same bytes)
"""
import datetime
import random
import sys

EDGE = 1024
HEADER = ["Opportunity ID", "Account Name", "Opportunity Name", "Description",
          "Stage", "Amount", "Close Date", "Created Date", "Discovery Call Date",
          "Exec Sponsor", "Pain Quantified", "Go-Live Date", "Implementation Time"]
STAGES = ["Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote",
          "Negotiation/Review", "Closed Won", "Closed Lost"]
ACCOUNTS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Soylent", "Stark", "Wayne"]
# Where the marked byte goes relative to the edge: CR (or the first byte of
# the pair) two before, one before (the pair straddles), on the edge.
DELTAS = [-1, 0, -2, 1]
KINDS = ["eol_crlf", "field_crlf", "field_lf", "doubled", "close_quote",
         "open_quote", "utf8", "blank_crlf", "eol_lf"]


def q(s):
    return '"' + s.replace('"', '""') + '"'


class Gen:
    def __init__(self, rows, seed, strays):
        self.r = random.Random(seed)
        self.rows = rows
        self.out = []
        self.off = 0
        self.edge_no = 0          # how many edges were given a marker
        self.strays = strays
        self.strays_left = strays
        self.stray_at = (rows * 2 // 3, rows * 3 // 4, rows * 5 // 6)[:strays]

    def emit(self, b):
        self.out.append(b)
        self.off += len(b)

    def date(self, lo, hi):
        d = self.r.randint(lo, hi)  # days after 2023-01-01
        return (datetime.date(2023, 1, 1) + datetime.timedelta(days=d)).isoformat()

    def fields(self, i):
        r = self.r
        stage = r.choice(STAGES)
        amount = r.choice(["%d" % r.randint(1, 900000),
                           "%d.%02d" % (r.randint(1, 9999), r.randint(0, 99)),
                           q("$%d,%03d.00" % (r.randint(1, 99), r.randint(0, 999))), ""])
        desc_lines = ["line %d" % k for k in range(r.randint(1, 3))]
        desc = r.choice(["\r\n", "\n"]).join(desc_lines)
        if r.random() < 0.3:
            desc += ' said ""yes""'
        name = "%s - Deal %d" % (r.choice(ACCOUNTS), i)
        if r.random() < 0.2:
            name += ' ("Q%d push")' % r.randint(1, 4)
        f = {
            "id": "TH-%06d" % i,
            "acct": r.choice(ACCOUNTS) + " Co",
            "name": q(name),
            "desc": '"' + desc + '"',
            "stage": stage,
            "amount": amount,
            "close": self.date(800, 1500),
            "created": self.date(0, 800),
            "disc": r.choice(["", self.date(100, 1300), "TBD"]),
            "spon": r.choice(["", "Jane Doe, CFO", "yes", "No"]),
            "pain": r.choice(["", "Yes", "$" + "%d" % r.randint(1000, 90000)]),
            "golive": r.choice(["", self.date(900, 1600)]),
            "impl": r.choice(["", "90 days", "12 weeks", "3 months", "45"]),
        }
        for k in ("spon", "pain"):
            if "," in f[k]:
                f[k] = q(f[k])
        # Rejects: a bad amount, a missing id, a field too few or too many.
        t = r.randrange(100)
        if t == 0:
            f["amount"] = "TBD"
        elif t == 1:
            f["id"] = ""
        return f, t

    def record(self, i, marker, stray):
        """The record's text, where its padding goes (after Account Name)
        and the index in it of the marked byte (None: no marker)."""
        f, t = self.fields(i)
        r = self.r
        if stray:
            # A bare quote inside an unquoted field, kept as a character by
            # libcsv and Python alike, and the marked byte.
            f["stage"] = 'Review of 12" screens'
            marker = "stray"
            t = 99
        eol = "\r\n"
        tail = ""
        if marker == "eol_lf" or (marker is None and r.random() < 0.1):
            eol = "\n"
        if marker == "field_crlf":
            f["desc"] = '"before\r\nafter"'
        elif marker == "field_lf":
            f["desc"] = '"before\nafter"'
        elif marker == "doubled":
            f["desc"] = '"a ""quoted"" word"'
        elif marker == "utf8":
            f["desc"] = '"pris \u20ac5 caf\u00e9 \u2713"'
        elif marker == "blank_crlf":
            tail = "\r\n"
        elif marker is None and r.random() < 0.02:
            tail = r.choice(["\r\n", "\n"])
        order = ["id", "acct", "name", "desc", "stage", "amount", "close", "created",
                 "disc", "spon", "pain", "golive", "impl"]
        vals = [f[k] for k in order]
        if t == 2:
            vals = vals[:9]
        elif t == 3:
            vals = vals + ["extra"]
        text = ",".join(vals) + eol + tail
        head = len(vals[0]) + 1 + len(vals[1])   # where padding goes
        if marker is None:
            return text, head, None
        desc_at = text.index(vals[3]) if len(vals) > 3 else None
        if marker in ("eol_crlf", "eol_lf"):
            m = len(",".join(vals))
        elif marker == "blank_crlf":
            m = len(",".join(vals)) + len(eol)
        elif marker in ("field_crlf", "field_lf"):
            m = desc_at + len('"before')
        elif marker == "doubled":
            m = desc_at + len('"a "')
        elif marker == "close_quote":
            m = desc_at + len(vals[3]) - 1
        elif marker == "open_quote":
            m = desc_at
        elif marker == "utf8":
            m = desc_at + len('"pris ')
        elif marker == "stray":
            m = text.index('12"') + 2
        return text, head, m

    def run(self):
        self.emit(b"\xef\xbb\xbf")
        self.emit((",".join(HEADER) + "\r\n").encode())
        for i in range(1, self.rows + 1):
            nxt = (self.off // EDGE + 1) * EDGE
            kind = KINDS[self.edge_no % len(KINDS)]
            delta = DELTAS[(self.edge_no // len(KINDS)) % len(DELTAS)]
            # Each stray quote on the first record after its place that
            # lands on an edge.
            stray = self.strays_left > 0 and i >= self.stray_at[self.strays - self.strays_left]
            text, head, m = self.record(i, kind, stray)
            enc = text.encode()
            mb = len(text[:m].encode())        # the marked byte's offset in bytes
            pad = nxt - 1 + delta - (self.off + mb)
            if 0 <= pad <= 600 and i < self.rows:
                self.edge_no += 1
                if stray:
                    self.strays_left -= 1
            else:
                # no edge near: a plain record (a marker is only a marker on an edge)
                pad = 0
                if stray:
                    text = text.replace('12" ', "12 ")
                    enc = text.encode()
            if pad:
                enc = (text[:head] + "x" * pad + text[head:]).encode()
            if i == self.rows:
                enc = enc.rstrip(b"\r\n")      # no newline after the last record
            self.emit(enc)
        sys.stdout.buffer.write(b"".join(self.out))


def main():
    if len(sys.argv) not in (2, 3, 4) or (len(sys.argv) == 4 and sys.argv[3] not in ("0", "1", "2", "3")):
        sys.exit("usage: threads_gen.py ROWS [SEED [STRAYS]]   (STRAYS: 0-3)")
    seed = int(sys.argv[2]) if len(sys.argv) >= 3 else 1
    Gen(int(sys.argv[1]), seed, int(sys.argv[3]) if len(sys.argv) == 4 else 0).run()


if __name__ == "__main__":
    main()
