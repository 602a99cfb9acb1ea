#!/usr/bin/env python3
"""Write the two large notes of bench/bignote.sh into a directory (a vault).

    python3 bench/gen_bignote.py --out DIR [--contact-mb 24] [--line-mb 50]

  DIR/people/big-contact.md  one contact heading ("## Alice Chen @alice") with "### Log"
                             and "#### Batch N" subsections holding many interaction items
                             (links, inline code, handles, weights, exchanges, a few bad
                             entries), about --contact-mb MB
  DIR/daily/big-line.md      one list item on one line, about --line-mb MB: a date, a kind
                             tag, then words, tags, handles, [links](…), `code`, <html>
                             and $math$ with no newline until the end (the worst case for
                             the inline grammar, which runs over the whole paragraph)

Deterministic for a given --seed; python3 standard library only. 0 MB skips a note.
"""

import argparse
import os
import random

WORDS = """intro review lunch coffee feedback deck talk roadmap hiring offer referral
podcast article draft notes idea help call dinner book conference slides demo
budget design pairing mentoring question answer""".split()
KINDS = ["#gave", "#got", "#met", "#gave:2", "#got:3", "#give", "#received"]
HANDLES = ["@bob", "@carol_w", "@dana.lee", "@erin", "@Frank_Li", "@grace-h"]


def contact_note(rng, target):
    out = ["# People", "", "## Alice Chen @alice", "",
           "What she cares about: shipping, hiring, talks.", "", "### Log", ""]
    size = sum(len(s) + 1 for s in out)
    n = 0
    while size < target:
        chunk = ["", f"#### Batch {n // 2000 + 1}", ""] if n % 2000 == 0 else []
        n += 1
        day = f"{rng.randint(2020, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        kind = rng.choice(KINDS)
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6)))
        form = rng.random()
        if form < 0.45:
            item = f"- {day} {kind} {words}"
        elif form < 0.60:
            item = f"- [x] {day} {kind} {words} with {rng.choice(HANDLES)}"
        elif form < 0.72:
            item = f"- {day} {kind} [{words}](https://example.com/{n}/@x) and more"
        elif form < 0.82:
            item = f"* {day} `#gave:0` {kind} {words} #work"
        elif form < 0.90:
            item = f"1. {day} #gave {words} #got {rng.choice(WORDS)}"
        elif form < 0.95:
            item = f"- {day} {kind} {words}\n  continued on a second line <b>bold</b>"
        elif form < 0.99:
            item = f"- {day} {words} without a kind tag {rng.choice(HANDLES)}"
        else:
            item = f"- 2026-02-30 {kind} {words}" if rng.random() < 0.5 else f"- {kind} {words}"
        chunk.append(item)
        size += sum(len(s) + 1 for s in chunk)
        out.extend(chunk)
    return "\n".join(out) + "\n"


def line_note(rng, target):
    head = "# Daily\n\n- 2026-11-20 #gave "
    parts = [head]
    size = len(head)
    n = 0
    while size < target:
        n += 1
        r = rng.random()
        if r < 0.40:
            tok = rng.choice(WORDS)
        elif r < 0.55:
            tok = rng.choice(KINDS + ["#work", "#gavel", "#idea"])
        elif r < 0.70:
            tok = rng.choice(HANDLES)
        elif r < 0.80:
            tok = f"[{rng.choice(WORDS)}](https://example.com/{n})"
        elif r < 0.88:
            tok = f"`{rng.choice(WORDS)} #got`"
        elif r < 0.93:
            tok = "<span>x</span>"
        elif r < 0.97:
            tok = f"${n}$"
        else:
            tok = f"**{rng.choice(WORDS)}**"
        parts.append(tok + " ")
        size += len(tok) + 1
    parts.append("#got\n")
    return "".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="the vault directory (created)")
    ap.add_argument("--contact-mb", type=float, default=24, help="size of the contact note")
    ap.add_argument("--line-mb", type=float, default=50, help="size of the one-line note")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "people"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "daily"), exist_ok=True)
    mb = 1000 * 1000
    if args.contact_mb > 0:
        with open(os.path.join(args.out, "people", "big-contact.md"), "w") as f:
            f.write(contact_note(rng, int(args.contact_mb * mb)))
    if args.line_mb > 0:
        with open(os.path.join(args.out, "daily", "big-line.md"), "w") as f:
            f.write(line_note(rng, int(args.line_mb * mb)))


if __name__ == "__main__":
    main()
