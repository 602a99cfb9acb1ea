#!/usr/bin/env python3
"""Generate a synthetic kith vault of realistic shape, plus the same records as a
ledger-cli / hledger journal, for benchmarking and cross-checking kith.

    python3 bench/gen_vault.py --out /tmp/vault --ledger /tmp/vault.journal

The vault follows SPEC.md §1:

  people/[org/]<handle>.md   one to three contacts per file (ATX or setext headings,
                             nested "### Notes" / "### Log" / "#### 2025" subsections)
  orgs/<org>.md              a team page: "# Org" then "## Name @handle" per person
  daily/YYYY-MM-DD.md        daily notes: items that name the counterparty by handle
                             outside any contact section, plus "### Call with X @x"
                             meeting sections
  projects/<name>.md         misc notes, same rules as daily notes

Counted interaction items are exactly --items N (also spelt --interactions N; default
200000). Given --items N without --files or --contacts, those grow with it:
round(2700 * N / 200000) notes and round(4000 * N / 200000) contacts (at least 1), so
--items 200000 is the default vault and --items 1000000 writes 13,500 notes, 92 MB, with
20,000 contacts. A few of the items in daily
notes have no date of their own (the file name gives it, SPEC §1 v2). On top of
them come follow-ups ("- [ ] ..." planned items, never counted), at a low rate
deliberately bad entries (bad weight, invalid date, no date, no
counterparty) that kith must report and not count, and noise that kith must
ignore: front matter, fenced / indented code, HTML comments, inline code, link
destinations, e-mail addresses, ordinary tags (#work, #gavel, #give-away), list
items with a date but no kind tag, tasks that mention handles, plus files kith must
skip (.obsidian/, .trash/, node_modules/, *.txt, a directory symlink, a file with a
NUL byte).

With --style properties (SPEC v3) the same records are kept the way Obsidian templates keep
them: a note per person, People/<Name>.md, marked by a property (categories: [[People]],
type: person or tags: [person]) and named by its file (its handle derived from the name);
the daily notes' meeting sections become meeting notes, Meetings/<date> <title>.md, with
`people` (sometimes two) and `date` properties, their items with the meeting's people; items
elsewhere name people by [[Name]] or by the derived handle. The default style (headings) writes
a .kith that turns the contact rules off: its front matter (type: person, tags) stays notes'
decoration, as the vault was before v3.

Besides the vault, the generator writes
  DIR/.expected.json  {"params": ..., "summary": ..., "contacts": {handle: {gave,
                      got, met, interactions}}, "diagnostics": [{path, line,
                      column, severity, kind}], "manifest": {note path: bytes}}
                      (a dot-file: not a note, so kith never reads it)
  --ledger FILE       one transaction per counted item; postings to
                      contacts:<handle>:gave / :got / :met balanced against value:*

Deterministic for a given (--seed, --items, --files, --contacts); python3
standard library only.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import unicodedata

# Bump when the output changes shape: bench/run.sh reuses a cached vault only if
# the params (including this) are equal.
GEN_VERSION = 7

# The default vault: --items (= --interactions), --files, --contacts. Given --items N alone,
# the notes and contacts grow in proportion (round(DEFAULT_FILES * N / DEFAULT_ITEMS), ...).
DEFAULT_ITEMS, DEFAULT_FILES, DEFAULT_CONTACTS = 200000, 2700, 4000

TODAY = dt.date(2026, 11, 26)           # the --today the bench passes to kith
LAST_DAY = TODAY - dt.timedelta(days=1)  # no interaction is dated later than this
WINDOW_DAYS = 3 * 365 + 60               # people-file interactions span ~3 years

# --------------------------------------------------------------------------
# Word lists (kept small; combined at random they give enough variety)
# --------------------------------------------------------------------------

FIRST = """Alice Bob Carol Dana Erin Frank Grace Hiro Ines Jamal Kai Lena Marco Nadia
Omar Priya Quinn Rosa Sam Tara Uma Victor Wen Xavier Yara Zane Aiko Ben Chloé Diego
Elif Farah Gus Hana Ivan José Kenji Lucia Mateo Nia Olu Pablo Renée Sofia Tomás Vera
Will Ximena Yusuf Zoë Amara Bilal Camille Dmitri Esther Felix Gita Hugo Irene Jonas
Kemal Leila Mina Noor Otto Paula Rahul Sara Theo Ulla Vikram Wanda Yuki Zara Anders
Beatriz Cyrus Daria Emeka Fatima Goran Helga Ilse Jin Kofi Lars Maya Nils Oscar Petra
Ravi Søren Tariq Valentina Wei Łukasz Ayşe Björn Chiara Eitan""".split()

LAST = """Chen Smith Okafor Müller Garcia Nakamura Patel Kowalski Rossi Dubois Haddad
Kim Nguyen Silva Johansson Novak Ivanova Cohen Mensah Tanaka Fischer Lopez Wright
Moreau Singh Andersen Ortiz Schmidt Yilmaz Ahmed Costa Berg Lee Park Hansen Weber
Romero Núñez Ødegaard Çelik Brown Wilson Taylor Clarke Evans Hughes Walsh Murphy
Kelly Byrne Sato Suzuki Ito Watanabe Chopra Iyer Reddy Gupta Sharma Rao Mendes Alves
Pereira Santos Jensen Nielsen Larsen Virtanen Korhonen Mäkinen Horvat Petrov Popescu
Dimitrov Fernandes Herrera Castillo Vargas Morales Ramos Kruger Botha Abebe Bekele
Mwangi Otieno Adeyemi Eze Balogun Farouk Nasser Rahman Karimi Hosseini Demir Aydın
Öztürk Lindqvist Holm Lund Strand Vogel Zimmermann Krause Brandt""".split()

ORGS = """Acme Globex Initech Umbrella Hooli Stark Wayne Wonka Tyrell Cyberdyne Soylent
Aperture Vandelay Dunder Pied Gringotts Monarch Oscorp Prestige Massive Nakatomi
Virtucon Gekko Sterling Bluth Krusty Duff Ollivander Planet Zorg Yoyodyne Momcorp
Spacely Cogswell Rekall Encom Weyland Blackmesa Tessier Abstergo""".split()

TOPICS = """pricing hiring fundraising onboarding observability Rust Kubernetes
negotiation public-speaking career-change product-market-fit OKRs burnout
open-source design-systems sales-pipeline board-meetings remote-work tax-law
grant-writing SEO accessibility data-privacy on-call mentoring""".split()

EVENTS = """RustConf KubeCon PyCon FOSDEM the-meetup SaaStr WebSummit the-offsite
the-hackathon LeadDev StrangeLoop the-book-club the-alumni-dinner DevOpsDays""".split()

PLACES = """Bistro-Nord the-ramen-place Café-Lumen the-park Blue-Bottle the-office
the-co-working-space Pasta-Bar the-library the-food-market""".split()

ROLES = """staff-engineer product-manager designer data-scientist CTO SRE
engineering-manager head-of-sales recruiter analyst""".split()

THINGS = """deck proposal essay CV talk roadmap blog-post pitch grant-application
business-plan README launch-plan""".split()

BOOKS = ["The Gift", "Give and Take", "Never Eat Alone", "The Mom Test",
         "Range", "Deep Work", "Thinking in Systems", "An Elegant Puzzle"]

TECH = """Neovim Docker Postgres Terraform React Kafka Ansible Nix Go Python""".split()

# Handles that are only ever *mentioned* (never a counterparty, never declared):
# kith must not list them.
OUTSIDERS = """someone recruiter_jane the_cto hr_team ops-guy design.lead
founders_club dana_from_sales intern2026 old.boss""".split()

# ordinary tags, including the near-misses that must not count as kind tags
ORDINARY_TAGS = ["#work", "#followup", "#hiring", "#idea", "#family", "#conf",
                 "#gavel", "#give-away", "#got_it", "#met/2026", "#gifts",
                 "#metoo", "#received-wisdom", "#gave_up"]

# --------------------------------------------------------------------------
# Interaction texts. {m} = a mention of another handle, {org} {topic} ... fill-ins.
# --------------------------------------------------------------------------

GAVE_TEXT = [
    "intro to {m} at {org}", "review of their {thing}", "feedback on the {thing} draft",
    "book recommendation: {book}", "referral for the {role} role at {org}", "lunch",
    "shared my notes from {event}", "helped debug their {tech} setup",
    "boosted their post about {topic}", "advice on {topic}",
    "mock interview for {role}", "sent the {thing} template", "introduced them to {m}",
    "coffee, my treat", "reviewed their PR ({tech})", "wrote a recommendation",
    "connected them with {m} about {topic}", "proofread the {thing}",
    "found them a speaker slot at {event}", "lent them {book}",
]
GOT_TEXT = [
    "feedback on my talk", "intro to {m}", "lunch", "advice on {topic}",
    "a referral to {org}", "review of my PR", "tickets to {event}",
    "a warm intro to the {org} team", "notes on my {thing}", "help moving house",
    "hiring leads for {role}", "a reference call for me", "their {tech} config",
    "a copy of {book}", "pairing session on {tech}", "honest feedback on the {thing}",
]
MET_TEXT = [
    "coffee", "ran into them at {event}", "call about {topic}", "lunch at {place}",
    "video call", "walk in the park", "drinks after {event}", "quick sync",
    "catch-up at {place}", "chatted at {event}", "birthday drinks", "1:1",
]
EXTRA_TEXT = [
    "", "", "", "", " - went well", " - follow up in a month", " (they're at {org} now)",
    ", very generous", " cc {email}", " - see [[{org}]]", " **important**",
    " - notes in [doc](https://docs.example.com/{org}/@{outsider}#got)",
    " (see `#gave:0` syntax)", " _thanks!_", " - they asked about {topic}",
]
PROSE = [
    "Met at {event} through a friend; works on {topic} at {org}.",
    "Knows everyone in the {topic} scene. Reach them at {email} or on the [[{org}]] Slack.",
    "Very generous with time. Prefers short messages over calls.",
    "Profile: [social](https://social.example/@{outsider}) - mostly posts about {topic}.",
    "Interested in {topic} and {topic2}; could help with the #hiring push at {org}.",
    "Former colleague from {org}. Their partner runs {place} #family.",
    "We talked about using `#gave` and `#got:2` tags for this network log.",
    "Promised to send them the {thing} once it is ready, ideally before {event}.",
    "Good person to ask about {tech}. Their team at {org} is growing.",
    "Value-based networking: give first, and let them return the favour #idea.",
    "Reminder: mention {book} next time; they liked {topic2}.",
    "Note to self - ask {email} about the {role} opening #work.",
]
NOTE_ITEMS = [
    "Works at {org} as {role} #work", "Partner: {first}; two kids",
    "Birthday in {month}", "Likes {topic} and {topic2}", "Email: {email}",
    "Collects antique #gavel sets", "Ran the #give-away at {event}",
    "[ ] send @{outsider} the {thing}", "[x] add to the {org} list",
    "{date} lunch planned at {place}", "{date} maybe call @{outsider}",
    "Met via @{outsider} (not a contact)", "Website: <https://{org_l}.example.com/@{outsider}>",
    "Reads {book}", "Ask about `#met` vs `#got:3`",
]
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = ("January February March April May June July August September "
          "October November December").split()

# fenced / indented / HTML content that looks like notes but must be ignored
CODE_LINES = [
    "- {date} #gave @{ghost} intro at {org}",
    "## Ghost Contact @{ghost}",
    "1. {date} #got:3 @{ghost} lunch",
    "- [x] {date} #met @{ghost}",
    "echo '#gave @{ghost}' >> log.md",
    "grep -c '#got' daily/*.md",
    "{{\"handle\": \"@{ghost}\", \"tag\": \"#gave:2\"}}",
]
GHOSTS = ["code_only", "example_person", "template_handle", "ghost.writer", "not_real"]


def ascii_fold(s):
    """'Søren Çelik' -> 'Soren Celik' (for handles)."""
    s = s.replace("Ø", "O").replace("ø", "o").replace("Ł", "L").replace("ł", "l")
    s = s.replace("ı", "i").replace("ß", "ss")
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def derive_handle(name):
    """SPEC §1 v3: NFKD, combining marks dropped, lower case, runs of other characters one
    '-', no '-' at the ends ('Inês Sá' -> 'ines-sa'); as kith's src/notes/derive.c."""
    s = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    out, sep = [], False
    for ch in s:
        ch = ch.lower() if "A" <= ch <= "Z" else ch
        if ("a" <= ch <= "z") or ("0" <= ch <= "9") or ch == "_":
            if sep and out:
                out.append("-")
            sep = False
            out.append(ch)
        else:
            sep = True
    return "".join(out)


def isodate(d):
    return d.isoformat()


# --------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------

class Contact:
    __slots__ = ("handle", "name", "first", "org", "activity", "span", "declared_home")

    def __init__(self, handle, name, first, org):
        self.handle = handle          # canonical (lower case)
        self.name = name
        self.first = first
        self.org = org
        self.activity = 1.0           # relative share of interactions
        self.span = None              # (first day, last day) of people-file items
        self.declared_home = False    # has a section in people/ or orgs/


class Item:
    """One list item destined for the vault: counted, or deliberately bad."""
    __slots__ = ("handle", "date", "tags", "bad", "free", "payee", "undated")

    def __init__(self, handle, date, tags, bad=None, free=False):
        self.handle = handle  # counterparty (canonical); None for a 'nocp' bad item
        self.date = date      # datetime.date
        self.tags = tags      # [(kind, weight)], kind in gave/got/met
        self.bad = bad        # None | 'weight' | 'date' | 'nodate' | 'nocp'
        self.free = free      # outside any contact section: handle must be in the text
        self.payee = None     # the rendered item text (for the journal)
        self.undated = False  # written without its date: the daily note's file name gives it


class Doc:
    """A note under construction: lines plus bookkeeping of what kith should see."""

    def __init__(self, path):
        self.path = path
        self.lines = []
        self.last = None        # kind of the last block: 'list', 'para', 'head', ...

    def blank(self):
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def block(self, lines, kind):
        """Append a block (list of lines) after a blank line; return its first line no."""
        self.blank()
        first = len(self.lines) + 1
        self.lines.extend(lines)
        self.last = kind
        return first

    def text(self):
        return "\n".join(self.lines) + "\n"


class _Fill(dict):
    """Template values drawn on first use (see Gen.fill)."""

    def __init__(self, gen):
        super().__init__()
        self.gen = gen

    def __missing__(self, key):
        v = self[key] = self.gen.filler(key)
        return v


# --------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------

class Gen:
    def __init__(self, args):
        self.a = args
        self.r = random.Random(args.seed)
        # v2 features (undated items in daily notes, follow-ups) draw from their own stream,
        # so the rest of the vault is the same as generator version 5's
        self.r2 = random.Random(args.seed * 7919 + 1)
        self.n_followups = 0
        self.expected = {}       # handle -> {gave, got, met, interactions}
        self.declared = set()    # handles with a declaring heading in a note
        self.diags = []          # expected diagnostics
        self.records = []        # counted items, for the journal
        self.docs = []           # Doc objects to write
        self.n_bad = 0
        self.n_tags = {"gave": 0, "got": 0, "met": 0}
        self.props = getattr(args, "style", "headings") == "properties"
        self.n_meetings = 0
        self.n_extra = 0  # (v3) counted records beyond the items: meetings, and their people

    # ---------------- small random helpers ----------------

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def chance(self, p):
        return self.r.random() < p

    def fill(self, template):
        """Fill a text template's {placeholders} (each drawn only when used)."""
        return template.format_map(_Fill(self)) if "{" in template else template

    def filler(self, key):
        """A random value for one template placeholder."""
        if key == "m":   # a mention: mostly another contact, sometimes an outsider
            if self.chance(0.7):
                return "@" + self.pick(self.contacts).handle
            return "@" + self.pick(OUTSIDERS)
        if key == "email":
            # ASCII only: "zoë@acme.com" would hold the handle "acme.com"
            return "%s@%s.com" % (ascii_fold(self.pick(FIRST)).lower(),
                                  self.pick(ORGS).lower())
        if key == "org_l":
            return self.pick(ORGS).lower()
        if key == "date":
            return isodate(self.rand_date())
        return self.pick({
            "org": ORGS, "topic": TOPICS, "topic2": TOPICS, "event": EVENTS,
            "place": PLACES, "role": ROLES, "thing": THINGS, "book": BOOKS,
            "tech": TECH, "outsider": OUTSIDERS, "ghost": GHOSTS, "first": FIRST,
            "month": MONTHS}[key])

    def rand_date(self, lo=None, hi=None):
        lo = lo or self.window_start
        hi = hi or LAST_DAY
        return lo + dt.timedelta(days=self.r.randrange((hi - lo).days + 1))

    # ---------------- contacts ----------------

    def make_contacts(self):
        seen = set()
        self.contacts = []
        for _ in range(self.a.contacts):
            first, last = self.pick(FIRST), self.pick(LAST)
            f, l = ascii_fold(first).lower(), ascii_fold(last).lower()
            u = self.r.random()
            if u < 0.40:
                h = "%s_%s" % (f, l)
            elif u < 0.55:
                h = f + l
            elif u < 0.70:
                h = f[0] + l
            elif u < 0.80:
                h = "%s.%s" % (f, l)
            elif u < 0.90:
                h = "%s-%s" % (f, l)
            else:
                h = "%s%d" % (f, self.r.randrange(10, 99))
            base, n = h, 2
            while h in seen or h in OUTSIDERS or h in GHOSTS:
                h = "%s%d" % (base, n)
                n += 1
            name = "%s %s" % (first, last)
            if self.props:
                # (v3) the handle is derived from the note's name: keep names distinct
                base_name, n = name, 2
                while derive_handle(name) in seen or not derive_handle(name):
                    name = "%s %d" % (base_name, n)
                    n += 1
                h = derive_handle(name)
            seen.add(h)
            c = Contact(h, name, first, self.pick(ORGS))
            # a heavy-tailed activity level; ~5% never interact ("new")
            c.activity = 0.0 if self.chance(0.05) else self.r.lognormvariate(0, 1.0)
            self.contacts.append(c)

    # ---------------- file plan ----------------

    def plan_files(self):
        F = max(self.a.files, 8)
        self.n_daily = max(1, round(F * 0.35))
        self.n_misc = max(1, round(F * 0.04))
        self.n_orgs = max(1, round(F * 0.04))
        self.n_people = max(1, F - self.n_daily - self.n_misc - self.n_orgs)

        # 90% of contacts get a people/ or orgs/ section, the rest are only ever
        # named in daily notes (kith lists them with name = handle).
        order = list(self.contacts)
        self.r.shuffle(order)
        n_decl = round(len(order) * 0.9)
        homed, self.unhomed = order[:n_decl], order[n_decl:]
        self.homed = homed
        for c in homed:
            c.declared_home = True

        # people files: 1 contact (65%), 2 (25%), 3 (10%); the rest go to org pages. (v3) In
        # the properties style every person has a note of their own.
        self.people_files = []
        if self.props:
            self.people_files = [[c] for c in homed]
            self.org_files = []
            homed = []
        i = 0
        for _ in range(self.n_people):
            if i >= len(homed):
                break
            k = 1 if self.chance(0.65) else (2 if self.chance(0.7) else 3)
            self.people_files.append(homed[i:i + k])
            i += k
        rest = homed[i:]
        if not self.props:
            self.org_files = [[] for _ in range(self.n_orgs)]
            for j, c in enumerate(rest):
                self.org_files[j % self.n_orgs].append(c)
            self.org_files = [f for f in self.org_files if f]

        # daily notes: distinct days among the last ~n_daily*1.15 days
        span = max(int(self.n_daily * 1.15) + 1, 30)
        days = sorted(self.r.sample(range(span), self.n_daily))
        self.daily_dates = [LAST_DAY - dt.timedelta(days=d) for d in reversed(days)]
        self.window_start = min(LAST_DAY - dt.timedelta(days=WINDOW_DAYS),
                                self.daily_dates[0])
        # each contact is active over a random stretch of that window
        for c in self.contacts:
            a, b = self.rand_date(), self.rand_date()
            c.span = (min(a, b), max(a, b))

    # ---------------- interactions ----------------

    def make_tags(self):
        """The kind tags of one counted item: [(kind, weight)]."""
        u = self.r.random()
        if u < 0.40:
            kinds = ["gave"]
        elif u < 0.65:
            kinds = ["got"]
        elif u < 0.90:
            kinds = ["met"]
        elif u < 0.98:
            kinds = ["gave", "got"] if self.chance(0.7) else ["got", "gave"]
        else:  # two tags of one kind, or give + met
            kinds = self.pick([["gave", "gave"], ["gave", "met"], ["met", "got"],
                               ["met", "met"]])
        tags = []
        for k in kinds:
            w = 1
            if k != "met":
                v = self.r.random()
                if v < 0.75:
                    w = 1
                elif v < 0.97:
                    w = self.r.randint(2, 5)
                elif v < 0.998:
                    w = self.r.randint(6, 20)
                else:
                    w = self.r.randint(21, 100)
            tags.append((k, w))
        return tags

    def distribute(self):
        """Decide, for each counted item, its counterparty, date and place."""
        N = self.a.interactions
        cs = [c for c in self.contacts if c.activity > 0] or self.contacts
        cum, t = [], 0.0
        for c in cs:
            t += c.activity
            cum.append(t)
        picks = self.r.choices(cs, cum_weights=cum, k=N)

        self.section_items = {}                            # handle -> [Item]
        self.daily_free = [[] for _ in self.daily_dates]   # per daily note
        self.daily_sect = [dict() for _ in self.daily_dates]  # per note: handle->[Item]
        self.misc_free = [[] for _ in range(self.n_misc)]
        nd = len(self.daily_dates)
        for c in picks:
            u = self.r.random()
            if c.declared_home and u < 0.70:
                lo, hi = c.span
                it = Item(c.handle, self.rand_date(lo, hi), self.make_tags())
                self.section_items.setdefault(c.handle, []).append(it)
            elif c.declared_home and u < 0.78:
                # a meeting section in a daily note: "### Call with X @x"
                k = self.r.randrange(nd)
                it = Item(c.handle, self.daily_dates[k], self.make_tags())
                self.daily_sect[k].setdefault(c.handle, []).append(it)
            elif self.chance(0.06):
                it = Item(c.handle, self.rand_date(), self.make_tags(), free=True)
                self.misc_free[self.r.randrange(self.n_misc)].append(it)
            else:
                k = self.r.randrange(nd)
                d = self.daily_dates[k]
                if self.chance(0.12):   # logged a few days late
                    d = d - dt.timedelta(days=self.r.randint(1, 6))
                it = Item(c.handle, d, self.make_tags(), free=True)
                self.daily_free[k].append(it)

        # deliberately bad entries, ~0.2% of N (at least a handful)
        nbad = max(8, N // 500)
        homed = [c for c in self.contacts if c.declared_home]
        for j in range(nbad):
            kind = ("weight", "date", "nodate", "nocp")[j % 4]
            if kind == "nocp":
                k = self.r.randrange(nd)
                it = Item(None, self.daily_dates[k], self.make_tags()[:1], bad="nocp",
                          free=True)
                self.daily_free[k].append(it)
            else:
                c = self.pick(homed)
                it = Item(c.handle, self.rand_date(*c.span), [("gave", 1)], bad=kind)
                self.section_items.setdefault(c.handle, []).append(it)
            self.n_bad += 1

    # ---------------- rendering one item ----------------

    def tag_text(self, kind, weight):
        name = {"gave": "gave" if self.chance(0.85) else "give",
                "got": self.pick(["got", "got", "got", "received", "receive"]),
                "met": "met"}[kind]
        if self.chance(0.04):
            name = name.upper() if self.chance(0.5) else name.capitalize()
        if kind != "met" and (weight != 1 or self.chance(0.12)):
            return "#%s:%d" % (name, weight)
        return "#" + name

    def kind_text(self, kind):
        tpl = self.pick({"gave": GAVE_TEXT, "got": GOT_TEXT, "met": MET_TEXT}[kind])
        return self.fill(tpl)

    def handle_token(self, h):
        """A mention of handle h as typed by a user (sometimes mixed case; in the properties
        style, often a wiki link to the person's note)."""
        c = self.by_handle.get(h)
        if self.props and c and c.declared_home and self.chance(0.5):
            return "[[%s]]" % c.name  # a link to their note (people with none: the handle)
        if self.chance(0.05):
            return "@" + "_".join(p.capitalize() for p in h.split("_"))
        return "@" + h

    def item_body(self, it):
        """The text of an item after the date, with its kind tags."""
        tags = [self.tag_text(k, w) for k, w in it.tags]
        if it.handle is None:
            # a 'names no contact' item: no handle in its paragraph at all
            texts = [self.fill(self.pick([t for t in MET_TEXT if "{m}" not in t]))
                     for _ in it.tags]
        else:
            texts = [self.kind_text(k) for k, _ in it.tags]
        if it.free:
            # outside a contact section the counterparty is the FIRST handle of
            # the item: put it before any other mention (texts may hold mentions
            # only after it). Sometimes an e-mail / link / code span precedes it.
            lead, tail = self.pick([
                ("", ""), ("", ""), ("", ""), ("", ":"), ("", ","), ("", "."),
                ("with", ""), ("with", ":"), ("to", ""), ("from", ""),
                ("for", "'s team:"), ("intro from {email} via", ","),
                ("sent [slides](https://talks.example.com/@{outsider}) to", ";"),
                ("`@here` ping, then", ":"), ("(via {email})", "")])
            lead = self.fill(lead) if it.handle else ""
            hs = self.handle_token(it.handle) if it.handle else self.pick(
                ["the whole team", "a stranger", "the meetup crowd", "a recruiter"])
            who = ("%s %s%s" % (lead, hs, tail)).strip()
            parts = [tags[0], who, texts[0]]
            for t, x in zip(tags[1:], texts[1:]):
                parts += [t, x]
        else:
            u = self.r.random()
            if u < 0.78 or len(tags) > 1:
                parts = []
                for t, x in zip(tags, texts):
                    parts += [t, x]
            elif u < 0.92:
                parts = [texts[0], tags[0]]           # tag at the end
            elif u < 0.96:
                parts = ["(%s)" % tags[0], texts[0]]  # tag after "("
            else:
                parts = [tags[0] + ",", texts[0]]     # tag ended by punctuation
        body = " ".join(p for p in parts if p)
        body += self.fill(self.pick(EXTRA_TEXT))
        if self.chance(0.08):
            body += " " + self.pick(ORDINARY_TAGS)
        return body

    def render_item(self, it, marker, indent, nested_ok=True):
        """Render one item: returns (lines, diag). The caller appends the lines to
        its Doc and books the item with self.place(doc, it, diag, first line no)."""
        pad = " " * indent
        box = ""
        if self.chance(0.10):
            # "[ ] " would make the item planned (a follow-up, never counted; SPEC §1 v2)
            box = self.pick(["[x] ", "[X] ", "[x] "])
        head = pad + marker + " " + box
        diag = None
        if it.bad == "weight":
            bad_w = self.pick(["0", "1000", "x", "-1", "two", "1k"])
            tagtxt = "#%s:%s" % (self.pick(["gave", "got"]), bad_w)
            line = "%s%s %s %s" % (head, isodate(it.date), tagtxt,
                                   self.kind_text("gave"))
            # the column is the byte offset of the tag in the line
            col = len(line[:line.index(tagtxt)].encode()) + 1
            diag = ("error", col, "weight")
        elif it.bad == "date":
            bad = self.pick(["2026-02-30", "2026-13-01", "2025-02-29", "2026-04-31",
                             "2025-00-10", "2026-06-31"])
            line = "%s%s #gave %s" % (head, bad, self.kind_text("gave"))
            diag = ("error", len(head.encode()) + 1, "date")
        elif it.bad == "nodate":
            form = self.r.randrange(3)
            if form == 0:
                line = "%s#gave %s" % (head, self.kind_text("gave"))
            elif form == 1:
                line = "%s%s on %s #got" % (head, self.kind_text("got"),
                                            isodate(it.date))
            else:
                line = "%sTODO #gave:2 %s" % (head, self.kind_text("gave"))
            diag = ("warning", indent + 1, "nodate")
        else:
            sep = self.pick([" "] * 17 + [": ", ", ", "\t"])
            body = self.item_body(it)
            if it.undated:
                line = head + body
            else:
                line = head + isodate(it.date) + sep + body
            if it.bad == "nocp":
                diag = ("warning", indent + 1, "nocp")
        lines = [line]
        cont = " " * (indent + len(marker) + 1)
        if not it.bad:
            # payee for the journal: the item's text after marker / box / date
            p = line[len(head) + (0 if it.undated else 10):].strip(" \t:,")
            # continuation line of the same paragraph (10%); rarely with a tag
            if self.chance(0.10):
                more = self.fill(self.pick([
                    "(they are hiring a {role})", "next step: share the {thing}",
                    "mentioned {book} again", "at {place}, around noon"]))
                if self.chance(0.05):
                    k = self.pick(["gave", "got", "met"])
                    more += " also " + ("#met" if k == "met" else "#" + k)
                    it.tags.append((k, 1))
                lines.append((cont if self.chance(0.8) else "") + more)
                p += " " + more
            it.payee = p
        if nested_ok and self.chance(0.06):
            # nested child items belong to the item but not to its first paragraph
            for _ in range(self.r.randint(1, 2)):
                lines.append(cont + "- " + self.fill(self.pick(
                    ["follow up on {date}", "[ ] send @{outsider} the {thing}",
                     "their kid is into {topic}", "see `#got:2` above"])))
        return lines, diag

    def place(self, doc, it, diag, lineno):
        """Book an item rendered at doc line lineno (with each of a meeting's people when
        `self.with_people` is set: the item counts for every one of them)."""
        if diag:
            sev, col, kind = diag
            self.diags.append({"path": doc.path, "line": lineno, "column": col,
                               "severity": sev, "kind": kind})
            return
        assert not it.bad
        first = it.handle
        for h in getattr(self, "with_people", None) or [it.handle]:
            if h != it.handle:
                other = Item(h, it.date, it.tags)
                other.payee = it.payee
                it = other
            if h != first:
                self.n_extra += 1  # the item counts for one more of the meeting's people
            e = self.expected.setdefault(h, {"gave": 0, "got": 0, "met": 0,
                                             "interactions": 0})
            e["interactions"] += 1
            for k, w in it.tags:
                e[k] += w
                self.n_tags[k] += w if k != "met" else 1
            self.records.append(it)

    def emit_list(self, doc, items, style=None):
        """A Markdown list of items (interactions and the odd noise item)."""
        style = style or self.pick(["-", "-", "-", "*", "+", "1.", "1)"])
        ordered = style[0].isdigit()
        delim = style[-1] if ordered else None
        doc.blank()
        n = 0
        for it in items:
            n += 1
            marker = "%d%s" % (n, delim) if ordered else style
            if self.chance(0.03):
                # a non-interaction item: note, task, dated item without kind tag
                doc.lines.append(marker + " " + self.fill(self.pick(NOTE_ITEMS)))
                n += 1
                marker = "%d%s" % (n, delim) if ordered else style
            lines, diag = self.render_item(it, marker, 0)
            self.place(doc, it, diag, len(doc.lines) + 1)
            doc.lines.extend(lines)
        doc.last = "list"

    # ---------------- noise blocks ----------------

    def prose(self, doc, n=None):
        n = n or self.r.randint(1, 3)
        s = " ".join(self.fill(self.pick(PROSE)) for _ in range(n))
        # wrap at ~80 columns like a human would (soft line breaks)
        out, cur = [], ""
        for w in s.split(" "):
            if cur and len(cur) + len(w) > 78:
                out.append(cur)
                cur = w
            else:
                cur = (cur + " " + w) if cur else w
        out.append(cur)
        # a line starting with '#', '-', '+', '*', '>' or a digit would change the
        # block structure: keep prose prose
        out = [("Also " + l) if l[:1] in "#-+*>0123456789<|" else l for l in out]
        doc.block(out, "para")

    def noise(self, doc):
        """One random noise block (never an interaction, never a declaration)."""
        u = self.r.random()
        if u < 0.40:
            self.prose(doc)
        elif u < 0.60:
            items = [self.fill(self.pick(NOTE_ITEMS)) for _ in range(self.r.randint(2, 5))]
            doc.block(["- " + x for x in items], "list")
        elif u < 0.75:
            fence = self.pick(["```", "```markdown", "~~~", "```sh"])
            body = [self.fill(self.pick(CODE_LINES)) for _ in range(self.r.randint(2, 5))]
            doc.block([fence] + body + [fence[:3]], "code")
        elif u < 0.83:
            if doc.last != "para":
                self.prose(doc, 1)
            body = ["    " + self.fill(self.pick(CODE_LINES)) for _ in range(2)]
            doc.block(body, "code")
        elif u < 0.89:
            doc.block(["<!--", self.fill(self.pick(CODE_LINES)), "-->"], "html")
        elif u < 0.95:
            rows = ["| Topic | Who | When |", "|---|---|---|"]
            for _ in range(self.r.randint(1, 3)):
                rows.append(self.fill("| {topic} | @{outsider} | {date} |"))
            doc.block(rows, "table")
        else:
            doc.block([self.fill("> Give first, ask later. - overheard at {event} #idea")],
                      "quote")

    def front_matter(self, doc, kind, extra=None):
        lines = ["---", "type: " + kind, "tags: [%s]" % ", ".join(
            [kind] + ([self.pick(["network", "work", "friends"])] if self.chance(.5) else []))]
        if extra:
            lines += extra
        if self.chance(0.15):
            # handle-looking text in front matter must be ignored
            lines.append('related: "@%s"' % self.pick(GHOSTS))
        lines.append("created: " + isodate(self.rand_date()))
        lines.append("---")
        doc.block(lines, "front")

    # ---------------- contact sections ----------------

    def heading_text(self, c):
        u = self.r.random()
        h = self.handle_token(c.handle) if self.chance(0.6) else "@" + c.handle
        if u < 0.70:
            return "%s %s" % (c.name, h)
        if u < 0.78:
            return "%s %s" % (h, c.name)
        if u < 0.86:
            return "%s %s %s" % (c.name, h, self.pick(["#vip", "#work", "#mentor"]))
        if u < 0.92:
            return "%s - %s %s" % (c.name, c.org, h)
        if u < 0.96:
            # an e-mail address is no handle
            return "%s (%s@%s.com) %s" % (c.name, ascii_fold(c.first).lower(),
                                          c.org.lower(), h)
        # a link destination is not text: the first handle is still c's
        return "[%s](https://social.example/@%s) %s" % (c.name, self.pick(OUTSIDERS), h)

    def heading(self, doc, text, level, setext_ok=True):
        if setext_ok and level <= 2 and self.chance(0.2):
            n = doc.block([text, ("=" if level == 1 else "-") * max(3, len(text))], "head")
        else:
            n = doc.block(["#" * level + " " + text], "head")
        return n

    def declare(self, doc, c, level, setext_ok=True):
        self.heading(doc, self.heading_text(c), level, setext_ok)
        self.declared.add(c.handle)

    def contact_section(self, doc, c, level):
        """Heading + intro + Notes / Log subsections holding c's section items."""
        self.declare(doc, c, level)
        items = sorted(self.section_items.get(c.handle, []), key=lambda i: i.date)
        sub = min(level + 1, 6)
        if self.chance(0.6):
            self.prose(doc)
        if self.chance(0.4):
            doc.block(["- " + self.fill(self.pick(NOTE_ITEMS))
                       for _ in range(self.r.randint(2, 4))], "list")
        if self.chance(0.45):
            self.heading(doc, self.pick(["Notes", "Background", "How I can help",
                                         "Context"]), sub, setext_ok=False)
            for _ in range(self.r.randint(1, 3)):
                self.noise(doc)
        if not items:
            return
        if self.chance(0.6) or len(items) > 25:
            self.heading(doc, self.pick(["Log", "Interactions", "History",
                                         "Give & take"]), sub, setext_ok=False)
            if len(items) > 25 and sub < 6:
                # big logs are split by year: "#### 2025"
                by_year = {}
                for it in items:
                    by_year.setdefault(it.date.year, []).append(it)
                for y in sorted(by_year):
                    self.heading(doc, str(y), sub + 1, setext_ok=False)
                    self.item_runs(doc, by_year[y])
                return
        self.item_runs(doc, items)

    def item_runs(self, doc, items):
        """Items as one or more lists, sometimes split by prose / code."""
        i = 0
        while i < len(items):
            k = self.r.randint(5, 40)
            self.emit_list(doc, items[i:i + k])
            i += k
            if i < len(items) and self.chance(0.3):
                self.noise(doc)

    # ---------------- files ----------------

    def person_note(self, c):
        """(v3) A person's note kept the Obsidian way: People/<Name>.md, marked by a property
        or a tag, no handle; their items with no handle (the note is their section)."""
        doc = Doc("People/%s.md" % c.name)
        mark = self.pick(['categories: ["[[People]]"]', "type: person", "tags: [person]",
                          'categories:\n  - "[[People]]"'])
        lines = ["---"] + mark.split("\n") + ["org: " + c.org]
        if self.chance(0.3):
            lines.append("role: " + self.pick(ROLES))
        lines += ["created: " + isodate(self.rand_date()), "---"]
        doc.block(lines, "front")
        self.declared.add(c.handle)
        if self.chance(0.6):
            self.prose(doc)
        items = sorted(self.section_items.get(c.handle, []), key=lambda i: i.date)
        if self.chance(0.45):
            self.heading(doc, self.pick(["Notes", "Background", "How I can help"]), 2,
                         setext_ok=False)
            for _ in range(self.r.randint(1, 3)):
                self.noise(doc)
        if items:
            self.heading(doc, self.pick(["Log", "Interactions", "History"]), 2, setext_ok=False)
            self.item_runs(doc, items)
        self.docs.append(doc)

    def meeting_note(self, d, h, items):
        """(v3) A meeting note: `people` (sometimes with a second person) and its date (a
        property, or the file name); its items count for each of its people, and the meeting
        itself is one met with each."""
        c = self.by_handle[h]
        people = [c]
        if self.chance(0.2):
            other = self.pick(self.homed)
            if other.handle != h:
                people.append(other)
        title = self.pick(["Call with %s", "Lunch with %s", "1-1 %s", "Coffee with %s"]) % (
            c.name.split()[0])
        self.n_meetings += 1
        dated_by_name = self.chance(0.5)
        path = "Meetings/%s %s %d.md" % (isodate(d), title, self.n_meetings) if dated_by_name \
            else "Meetings/%s %d.md" % (title, self.n_meetings)
        doc = Doc(path)
        key = self.pick(["people", "people", "attendees", "with"])
        lines = ["---", "%s: [%s]" % (key, ", ".join('"[[%s]]"' % p.name for p in people))]
        if not dated_by_name:
            lines.append("date: " + isodate(d))
        lines += ["tags: [meeting]", "---"]
        doc.block(lines, "front")
        for p in people:
            record = Item(p.handle, d, [("met", 1)])
            record.payee = os.path.splitext(os.path.basename(path))[0]
            self.place(doc, record, None, 1)
            self.n_extra += 1  # the meeting's own met with each person
            self.declared.add(p.handle)
        if self.chance(0.4):
            self.prose(doc)
        self.with_people = [p.handle for p in people]
        self.emit_list(doc, items)
        self.with_people = None
        self.docs.append(doc)

    def people_file(self, group):
        if self.props:
            return self.person_note(group[0])
        first = group[0]
        sub = ""
        if self.chance(0.3):
            sub = first.org.lower() + "/"
        ext = ".markdown" if self.chance(0.02) else ".md"
        doc = Doc("people/%s%s%s" % (sub, first.handle, ext))
        if self.chance(0.8):
            self.front_matter(doc, "person", ["aliases: [%s]" % first.first])
        if len(group) == 1:
            self.contact_section(doc, first, self.pick([1, 1, 2, 2, 2]))
        else:
            # "# The Chens" (no handle) then one "## Name @handle" per person
            top = self.chance(0.7)
            if top:
                last = group[0].name.split()[-1]
                self.heading(doc, self.pick(["The %ss", "%s family", "%s & co"]) % last,
                             1, setext_ok=False)
                self.prose(doc, 1)
            for c in group:
                self.contact_section(doc, c, 2 if top else self.pick([1, 2]))
        if self.chance(0.3):
            self.heading(doc, "See also", 2, setext_ok=False)
            self.noise(doc)
        self.docs.append(doc)

    def org_file(self, group, idx):
        org = group[0].org
        doc = Doc("orgs/%s-%d.md" % (org.lower(), idx))
        self.front_matter(doc, "org")
        self.heading(doc, "%s team" % org, 1, setext_ok=False)
        self.prose(doc)
        for c in group:
            self.contact_section(doc, c, 2)
        self.docs.append(doc)

    def free_items_block(self, doc, items):
        """Items outside any contact section; some nested under a plain parent."""
        i = 0
        while i < len(items):
            if self.chance(0.08):
                # "- Meetup at X #event" with interactions as nested children
                k = self.r.randint(1, 4)
                doc.blank()
                doc.lines.append("- " + self.fill("{event} at {place} #conf"))
                for it in items[i:i + k]:
                    lines, diag = self.render_item(it, "-", 2, nested_ok=False)
                    self.place(doc, it, diag, len(doc.lines) + 1)
                    doc.lines.extend(lines)
                doc.last = "list"
                i += k
            else:
                k = self.r.randint(3, 30)
                self.emit_list(doc, items[i:i + k])
                i += k

    def daily_file(self, k):
        d = self.daily_dates[k]
        doc = Doc("daily/%s.md" % isodate(d))
        if self.chance(0.9):
            self.front_matter(doc, "daily", ["date: " + isodate(d)])
        long = "%s, %d %s %d" % (WEEKDAYS[d.weekday()], d.day, MONTHS[d.month - 1],
                                 d.year)
        self.heading(doc, self.pick([isodate(d), long]), 1, setext_ok=False)
        if self.chance(0.4):
            self.prose(doc)
        free = self.daily_free[k]
        self.r.shuffle(free)
        for it in free:
            # (v2) an item of the note's own day may leave out its date
            if it.date == d and it.handle and self.r2.random() < 0.08:
                it.undated = True
        if free:
            self.heading(doc, self.pick(["Log", "People", "Today", "Network"]), 2,
                         setext_ok=False)
            self.free_items_block(doc, free)
        if self.daily_sect[k] and self.props:
            # (v3) one meeting note a day; the day's other meetings are logged in the note
            sect = sorted(self.daily_sect[k].items())
            self.meeting_note(d, sect[0][0], sect[0][1])
            rest = [it for _, items in sect[1:] for it in items]
            for it in rest:
                it.free = True
            if rest:
                self.heading(doc, "Meetings", 2, setext_ok=False)
                self.free_items_block(doc, rest)
        elif self.daily_sect[k]:
            self.heading(doc, "Meetings", 2, setext_ok=False)
            for h, items in sorted(self.daily_sect[k].items()):
                c = self.by_handle[h]
                # a declaring heading inside the daily note
                if self.chance(0.7):
                    text = c.name
                else:
                    text = self.pick(["Call with %s", "Lunch with %s", "1:1 %s",
                                      "Coffee - %s"]) % c.name.split()[0]
                self.heading(doc, "%s %s" % (text, self.handle_token(h)), 3,
                             setext_ok=False)
                self.declared.add(h)
                # inside the section the counterparty is h, even when the item's
                # text names another handle ("intro to @bob")
                self.emit_list(doc, items)
                if self.chance(0.2):
                    self.heading(doc, "Action items", 4, setext_ok=False)
                    doc.block(["- [ ] " + self.fill("send @{outsider} the {thing}")],
                              "list")
        if self.chance(0.5):
            self.heading(doc, self.pick(["Notes", "Journal", "Ideas"]), 2,
                         setext_ok=False)
            for _ in range(self.r.randint(1, 3)):
                self.noise(doc)
        self.followups(doc, d)
        if self.chance(0.3):
            self.heading(doc, "Todo", 2, setext_ok=False)
            doc.block(["- [ ] " + self.fill(self.pick(
                ["email @{outsider} about {topic}", "{date} reply to {email}",
                 "read {book}"])) for _ in range(self.r.randint(1, 3))], "list")
        self.docs.append(doc)

    def followups(self, doc, d):
        """(v2) Planned items: "- [ ] ..." follow-ups of declared contacts, never counted."""
        r = self.r2
        if r.random() >= 0.25:
            return
        doc.blank()
        doc.lines.append("## Follow-ups")
        doc.blank()
        for _ in range(r.randint(1, 4)):
            c = self.homed[r.randrange(len(self.homed))]
            kind = r.choice(["#gave", "#gave", "#met", "#got"])
            what = r.choice(["send the slides", "intro to the platform team", "coffee next week",
                             "ask about the offsite", "share the hiring rubric"])
            who = ("[[%s]]" % c.name) if self.props else ("@" + c.handle)
            u = r.random()
            if u < 0.3:      # undated: due whenever
                doc.lines.append("- [ ] %s %s %s" % (kind, who, what))
            else:            # due within three weeks either side of the bench's today
                due = TODAY + dt.timedelta(days=r.randint(-21, 21))
                doc.lines.append("- [ ] %s %s %s %s" % (isodate(due), kind, who, what))
            self.n_followups += 1
        doc.last = "list"

    def misc_file(self, k):
        topic = self.pick(TOPICS).lower()
        doc = Doc("projects/%s-%d.md" % (topic, k))
        if self.chance(0.5):
            self.front_matter(doc, "project")
        self.heading(doc, "Project: %s" % topic, 1, setext_ok=False)
        self.prose(doc)
        self.noise(doc)
        items = sorted(self.misc_free[k], key=lambda i: i.date)
        if items:
            self.heading(doc, "Who helped", 2, setext_ok=False)
            self.free_items_block(doc, items)
        self.docs.append(doc)

    def extras(self):
        """Files kith must skip (not counted in --files)."""
        ghost_note = "\n".join([
            "## Ghost Contact @%s" % GHOSTS[0],
            "- 2026-01-05 #gave intro",
            "- 2026-01-06 #got:5 @%s lunch" % GHOSTS[1], ""])
        skipped = {
            ".obsidian/templates/person.md": ghost_note,
            ".trash/old-contact.md": ghost_note,
            "node_modules/kith-notes/README.md": ghost_note,
            "attachments/export.txt": ghost_note,
        }
        # a file with a NUL byte: skipped with a warning at line 1 column 1
        binary = ("attachments/scan.md", ghost_note + "\x00\x01\x02binary\n")
        return skipped, binary

    # ---------------- main ----------------

    def run(self):
        self.make_contacts()
        self.by_handle = {c.handle: c for c in self.contacts}
        self.plan_files()
        self.distribute()
        for g in self.people_files:
            self.people_file(g)
        for j, g in enumerate(self.org_files):
            self.org_file(g, j + 1)
        for k in range(len(self.daily_dates)):
            self.daily_file(k)
        for k in range(self.n_misc):
            self.misc_file(k)
        # contacts whose items never got placed (none expected) would be a bug
        placed = sum(e["interactions"] for e in self.expected.values())
        assert placed == self.a.interactions + self.n_extra, (placed, self.a.interactions)
        for h in self.declared:
            self.expected.setdefault(h, {"gave": 0, "got": 0, "met": 0,
                                         "interactions": 0})


def write_journal(path, records):
    """One transaction per counted item; parses in ledger 3.3 and hledger 1.25."""
    def clean(s):
        s = " ".join(s.replace(";", ",").replace("|", "/").split())
        # '(' '*' '!' right after the date would be a code or a status mark
        if not s or s[0] in "(*!":
            s = "item " + s
        return s

    # stable sort by date: a journal is chronological
    recs = sorted(records, key=lambda it: it.date)
    with open(path, "w", encoding="utf-8") as f:
        f.write("; kith bench journal: one transaction per counted interaction item\n")
        f.write("; generated by bench/gen_vault.py; do not edit\n\n")
        for it in recs:
            sums = {}
            for k, w in it.tags:
                sums[k] = sums.get(k, 0) + w
            f.write("%s %s\n" % (isodate(it.date), clean(it.payee)))
            for k in ("gave", "got", "met"):
                if k in sums:
                    f.write("    contacts:%s:%s  %d\n" % (it.handle, k, sums[k]))
            for k, acct in (("gave", "given"), ("got", "received"), ("met", "met")):
                if k in sums:
                    f.write("    value:%s  %d\n" % (acct, -sums[k]))
            f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", "--interactions", dest="interactions", type=int, metavar="N",
                    help="counted interaction items (default %d); --files and --contacts, "
                    "when not given, grow with it: round(%d * N / %d) notes, round(%d * N / "
                    "%d) contacts" % (DEFAULT_ITEMS, DEFAULT_FILES, DEFAULT_ITEMS,
                                      DEFAULT_CONTACTS, DEFAULT_ITEMS))
    ap.add_argument("--files", type=int,
                    help="notes in the vault (default %d, or scaled with --items)"
                    % DEFAULT_FILES)
    ap.add_argument("--contacts", type=int,
                    help="distinct contacts (default %d, or scaled with --items)"
                    % DEFAULT_CONTACTS)
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--style", choices=["headings", "properties"], default="headings",
                    help="how people and meetings are kept (default: headings; see above)")
    ap.add_argument("--out", help="output directory (the vault); required")
    ap.add_argument("--ledger", help="also write the counted records as a journal")
    ap.add_argument("--force", action="store_true",
                    help="write into a non-empty --out directory")
    ap.add_argument("--print-params", action="store_true",
                    help="print the params JSON that .expected.json would hold, and exit")
    a = ap.parse_args()
    # --items N alone: a vault N / 200000 times the default one, in notes and contacts as well
    # (200000 gives the default vault, byte for byte)
    scale = a.interactions is not None
    if a.interactions is None:
        a.interactions = DEFAULT_ITEMS
    if a.files is None:
        a.files = (max(1, round(DEFAULT_FILES * a.interactions / DEFAULT_ITEMS)) if scale
                   else DEFAULT_FILES)
    if a.contacts is None:
        a.contacts = (max(1, round(DEFAULT_CONTACTS * a.interactions / DEFAULT_ITEMS)) if scale
                      else DEFAULT_CONTACTS)
    params = {"generator": GEN_VERSION, "seed": a.seed, "interactions": a.interactions,
              "files": a.files, "contacts": a.contacts, "style": a.style}
    if a.print_params:
        print(json.dumps(params, sort_keys=True))
        return
    if not a.out:
        ap.error("--out DIR is required")
    if a.interactions < 0 or a.contacts < 1 or a.files < 1:
        ap.error("--items >= 0, --contacts >= 1, --files >= 1")

    if os.path.isdir(a.out) and os.listdir(a.out) and not a.force:
        sys.exit("gen_vault: %s is not empty (use --force or a new directory)" % a.out)

    g = Gen(a)
    g.run()

    # ---- write the vault ----
    os.makedirs(a.out, exist_ok=True)
    nbytes = 0
    manifest = {}   # note path -> size: lets bench/run.sh notice a modified vault
    for d in g.docs:
        p = os.path.join(a.out, d.path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        data = d.text().encode("utf-8")
        with open(p, "wb") as f:
            f.write(data)
        nbytes += len(data)
        manifest[d.path] = len(data)
    skipped, (bpath, btext) = g.extras()
    for rel, text in skipped.items():
        p = os.path.join(a.out, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
    p = os.path.join(a.out, bpath)
    with open(p, "wb") as f:
        f.write(btext.encode("utf-8"))
    manifest[bpath] = len(btext.encode("utf-8"))
    g.diags.append({"path": bpath, "line": 1, "column": 1, "severity": "warning",
                    "kind": "binary"})
    # (v3) the vault settings: the headings style keeps its front matter (type: person,
    # tags) as decoration, so it turns the contact rules off; the properties style uses them
    with open(os.path.join(a.out, ".kith"), "w", encoding="utf-8") as f:
        if a.style == "headings":
            f.write("# bench vault: contacts are declared by headings only\n"
                    "contacts:\n  tags: []\n  properties: {}\n")
        else:
            f.write("# bench vault: people and meetings kept as properties (the defaults)\n")
    # a directory symlink: must not be followed (it would double-count daily/)
    link = os.path.join(a.out, "archive-link")
    if not os.path.lexists(link):
        os.symlink("daily", link)

    if a.ledger:
        write_journal(a.ledger, g.records)

    # ---- .expected.json, written last: its presence marks a complete vault ----
    g.diags.sort(key=lambda d: (d["path"].encode(), d["line"], d["column"]))
    summary = {
        "notes": len(g.docs), "bytes": nbytes,
        "interactions": a.interactions, "bad_entries": g.n_bad,
        "followups": g.n_followups,
        "gave": g.n_tags["gave"], "got": g.n_tags["got"], "met": g.n_tags["met"],
        "contacts": len(g.expected), "declared": len(g.declared),
    }
    exp = {"params": params, "today": isodate(TODAY), "summary": summary,
           "contacts": {h: g.expected[h] for h in sorted(g.expected)},
           "diagnostics": g.diags,
           "manifest": {k: manifest[k] for k in sorted(manifest)}}
    with open(os.path.join(a.out, ".expected.json"), "w", encoding="utf-8") as f:
        json.dump(exp, f, indent=1, sort_keys=True)
        f.write("\n")

    print("vault %s: %d notes (+%d files kith must skip), %d bytes (%.1f MB)" % (
        a.out, len(g.docs), len(skipped) + 1, nbytes, nbytes / 1e6))
    print("  interactions %d counted (+%d bad, +%d follow-ups), tags: gave %d, got %d, met %d" % (
        a.interactions, g.n_bad, g.n_followups, g.n_tags["gave"], g.n_tags["got"],
        g.n_tags["met"]))
    print("  contacts %d (%d declared), expected diagnostics %d" % (
        len(g.expected), len(g.declared), len(g.diags)))
    if a.ledger:
        print("  journal %s: %d transactions, %d bytes" % (
            a.ledger, len(g.records), os.path.getsize(a.ledger)))


if __name__ == "__main__":
    main()
