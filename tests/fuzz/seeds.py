#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/corpus/ (run from anywhere; overwrites the files it
makes, leaves others alone). The seeds are small, real-shaped inputs: the messages Neovim and
the plugin send to `kith serve`, notes from examples/vault, and edit sequences as Neovim sends
them. See tests/fuzz/README.md for the input format of each target."""

import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")

# --- a little msgpack (enough for RPC messages) --------------------------------------------


class Ext:
    def __init__(self, type_, data):
        self.type, self.data = type_, data


def pack(o):
    if o is None:
        return b"\xc0"
    if o is True:
        return b"\xc3"
    if o is False:
        return b"\xc2"
    if isinstance(o, int):
        if 0 <= o < 128:
            return bytes([o])
        if -32 <= o < 0:
            return struct.pack("b", o)
        if 0 <= o < 1 << 32:
            return b"\xce" + struct.pack(">I", o)
        return b"\xd3" + struct.pack(">q", o)
    if isinstance(o, str):
        b = o.encode()
        if len(b) < 32:
            return bytes([0xA0 | len(b)]) + b
        if len(b) < 256:
            return b"\xd9" + bytes([len(b)]) + b
        return b"\xda" + struct.pack(">H", len(b)) + b
    if isinstance(o, bytes):
        return b"\xc4" + bytes([len(o)]) + o
    if isinstance(o, Ext):
        if len(o.data) == 1:
            return b"\xd4" + bytes([o.type]) + o.data
        return b"\xc7" + bytes([len(o.data), o.type]) + o.data
    if isinstance(o, (list, tuple)):
        head = bytes([0x90 | len(o)]) if len(o) < 16 else b"\xdc" + struct.pack(">H", len(o))
        return head + b"".join(pack(x) for x in o)
    if isinstance(o, dict):
        head = bytes([0x80 | len(o)])
        return head + b"".join(pack(k) + pack(v) for k, v in o.items())
    raise TypeError(o)


SEP = b"\xc1\xc1"  # fuzz_rpc.c: the host reads what comes before, the loop runs, then the rest
VAULT = "/tmp/kith-fuzz/vault"
ALICE = VAULT + "/people/alice.md"
OPTS = {"today": "2026-11-26", "debounce": 0, "dormant_days": 90, "ascii": False}


def buf(n):
    return Ext(0, pack(n))  # Neovim sends buffer handles as EXT 0


def request(id_, method, *params):
    return pack([0, id_, method, list(params)])


def notify(method, *params):
    return pack([2, method, list(params)])


def response(id_, result, error=None):
    return pack([1, id_, error, result])


def lines(b, tick, first, last, data):
    return notify("nvim_buf_lines_event", buf(b), tick, first, last, data, False)


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


ALICE_LINES = [
    "# People",
    "",
    "## Alice Chen @alice",
    "",
    "- 2026-11-20 #gave intro to Bob",
    "- [x] 2026-11-22 #got:2 feedback on my talk",
    "- 2026-11-24 #gave review #got lunch",
]

# Attach buffer 1, Neovim accepts (our request 1), sends the whole buffer, then edits.
ATTACH = (
    notify("kith_configure", OPTS)
    + notify("kith_attach", 1, ALICE, VAULT, OPTS)
    + SEP
    + response(1, True)
    + lines(1, 3, 0, -1, ALICE_LINES)
    + SEP
)

rpc = {
    "attach-type-ask": ATTACH
    + lines(1, 4, 6, 7, ["- [x] 2026-11-22 #got:2 feedback on my talk!"])
    + lines(1, 5, 7, 7, ["- 2026-11-26 #gave:3 @bob a book"])
    + SEP
    + request(1, "kith_outline", 1)
    + request(2, "kith_contacts", VAULT)
    + request(3, "kith_balances", VAULT)
    + request(4, "kith_tick", 1)
    + request(5, "kith_agenda", VAULT, 7)
    + response(2, True),
    "requests": notify("kith_configure", OPTS)
    + request(7, "kith_version")
    + request(8, "kith_status")
    + request(9, "kith_vault", VAULT)
    + SEP
    + request(10, "kith_template", VAULT, "review", None, None)
    + request(11, "kith_template", VAULT, "contact", "@Alice", None)
    + request(12, "kith_no_such_method", 1)
    + request(13, "kith_balances", "/elsewhere"),
    "lifecycle": ATTACH
    + notify("nvim_buf_changedtick_event", buf(1), 9)
    + notify("kith_attach", 1, VAULT + "/people/renamed.md", VAULT, OPTS)
    + SEP
    + lines(1, 10, 0, 2, [])
    + notify("nvim_buf_detach_event", buf(1))
    + notify("kith_attach", 2, VAULT + "/new.md", VAULT, OPTS)
    + response(2, True)
    + lines(2, 1, 0, -1, ["## Dan @dan", "- 2026-11-25 #met @dan"])
    + SEP
    + lines(2, 2, 5, 9, ["out of range"])
    + notify("kith_detach", 2)
    + request(20, "kith_status"),
    "malformed": request(1, "kith_version", "extra")
    + pack([0, 2, "kith_status", "params are not an array"])
    + pack([0, -1, "kith_status", []])
    + pack([0, Ext(0, pack(3)), "kith_status", []])
    + pack([2, "nvim_buf_lines_event", [buf(1), 1]])
    + pack([1, 99, None, None])
    + pack([7, 7, 7])
    + pack([[[[[[[[1]]]]]]]])
    + request(4, "kith_version")
    + b"\xc1"
    + request(5, "kith_version"),
    # One request cut in the middle: it is answered after the second read.
    "split": request(1, "kith_status")[:5] + SEP + request(1, "kith_status")[5:],
}

# Mirror edits (fuzz_mirror.c): F L N, then N lines. L = 0xff: every line.
def edit(first, last, new_lines):
    data = bytes([first, 0xFF if last < 0 else last, len(new_lines)])
    return data + b"".join(l.encode() + b"\n" for l in new_lines)


mirror = {
    "attach-then-type": edit(0, -1, ALICE_LINES)
    + edit(6, 7, ["- [x] 2026-11-22 #got:2 feedback on my talk!"])
    + edit(7, 7, [""])
    + edit(7, 8, ["- "])
    + edit(7, 8, ["- 2026-11-26 #gave @alice tea"]),
    "delete-heading": edit(0, -1, ALICE_LINES) + edit(2, 3, []) + edit(0, 1, ["## Bob @bob"]),
    "paste-and-undo": edit(0, -1, ["# Notes", ""])
    + edit(2, 2, read("examples/vault/people/acme.md").splitlines())
    + edit(2, 10, []),
    "code-fence-opens": edit(0, -1, ALICE_LINES) + edit(3, 3, ["```"]) + edit(3, 4, []),
    "nul-and-range": edit(0, -1, ["a\x00b", "- 2026-11-20 #gave @x"])
    + edit(0, 1, ["a"])
    + edit(5, 1, ["not applied"]),
}

note_files = [
    "examples/vault/people/acme.md",
    "examples/vault/people/alice.md",
    "examples/vault/people/bob.md",
    "examples/vault/daily/2026-11-03.md",
    "examples/vault/meetings/2026-11-20-grace.markdown",
    "examples/vault/inbox.md",
]
notes = {os.path.basename(p): read(p).encode() for p in note_files}
notes["edge-cases.md"] = (
    "---\ntags: [@fm]\n---\n\nAlice Chen @alice\n===\n\n"
    "- 2026-02-29 #gave leap\n- 2028-02-29 #got:0 weight\n- #met no date\n"
    "  - 2026-11-01 #gave:12 nested `@code` <@html> [x](@dest)\n"
    "> - 2026-11-02 #received quoted\n\n```\n- 2026-11-03 #gave fenced @alice\n```\n"
    "    - 2026-11-04 #gave indented\n\n## H @h.\n1) 2026-11-05 #gave:999 #got:1000\n"
).encode()
notes["v2.md"] = (
    "# Team @team #every:3w\n\n## 2026-11-20 Friday\n\n- #met @bob, @carol; lunch\n"
    "- [ ] #gave @bob the intro he asked for\n- [ ] 2026-11-01 #gave @alice overdue\n"
    "- [x] 2026-11-21 #got:2. feedback\n- 2026-12-24 #gave @dan future\n"
    "- 2026-11-22 #gave:2.5 @dan bad weight\n\n## Erin @erin #every:0d\n\n"
    "- 2026-11-23 #met [[Alice Chen]] and @erin\n"
).encode()
# Front matter (contact notes) and wiki links (SPEC v2 §1).
notes["contact-note.md"] = (
    "---\nhandle: \"@gus\"\nname: Gus Grant\naliases: [Gus, \"G. Grant\"]\nevery: 2w\n"
    "tags:\n  - people\n  - {nested: [1, 2]}\n---\n\n# Notes\n\n"
    "- 2026-11-20 #gave [[Gus]] a lift\n- 2026-11-21 #got [[people/G. Grant|him]] tea\n"
    "- 2026-11-22 #met [[Nobody]] @gus\n- [ ] #gave [[Gus#Notes]] the book\n"
).encode()
notes["bad-front-matter.md"] = (
    "---\nhandle: [unclosed\nevery: 3x\n---\n## Hal @hal\n- 2026-11-20 #met [[Hal]]\n"
).encode()


def write(target, files):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


write("rpc", rpc)
write("mirror", mirror)
write("note", notes)
print("seeds written to", CORPUS)
