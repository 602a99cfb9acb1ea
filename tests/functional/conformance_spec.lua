-- Acceptance check of SPEC v2 §1-§3 (issue #9): `kith balances`, `check`, `agenda` and `history`
-- on a vault written by hand for this spec (tests/functional/vaults/conformance/), with every
-- expected value worked out from SPEC alone, before the implementation or its tests were read.
-- The reasoning stands in the comments next to each value, quoting SPEC where a rule decides.
-- One value was revised after the first run, where SPEC is ambiguous and kith's reading is the
-- more consistent one (the agenda place of an undeclared contact: see HELP below); every other
-- value matched kith as first computed.
--
-- Self-contained: it runs the binary with cli.lua (io.popen) and decodes JSON with vim.json (in Neovim)
-- or lua-cjson. The binary is $KITH_BIN, else build/kith. Every comparison is field by field
-- and names the field that differs (e.g. `contacts[alice].due_in: want 13, got 69`); a test
-- collects all differences of one command before failing.
--
-- Today is Thursday 2026-11-26. Days since (today - date): 2026-05-02 208, 2026-08-01 117,
-- 2026-09-15 72, 2026-11-16 10, 2026-11-18 8, 2026-11-20 6, 2026-11-24 2, 2026-11-25 1.
--
-- The vault (line numbers matter; `cat -n` the files to follow along):
--   contacts.md            setext h1/h2 circles; ### Alice (bad cadence 3x), ### Dan (@Dan, every
--                          2m, nested item), #### Dan's team (undated follow-up), a two-line
--                          setext h2 for Erin (every 1y)
--   people/alice.md        # Alice (every 3w), ## Log / ## Next sub-headings without handles
--   people/bob.md          ## Bob, `#gave @alice` inside his section, HTML, fenced and indented code
--   people/frank.md        bad cadence 0d, an item without any date
--   people/gus.md          bad cadence `#every:` (empty), dormant by the default 90 days
--   daily/2026-11-20.md    undated items (context date from the file name), leading runs
--   daily/2026-11-27.md    tomorrow's note: an undated follow-up and a counted item in the future
--   meetings/2026-11-24-portfolio-review.md   file name date, duplicate handle in a leading run
--   weekly/2026-W47.md     date headings (## 2026-11-16 Monday, ### 2026-11-31 = no real date),
--                          a contact heading inside a date heading
--   journal/2026-11.md     a file name that is no date; date headings `## 2026-11-23: Monday`,
--                          `## 2026-11-24Tuesday` (no delimiter: no date), and a date heading
--                          that holds a handle (### 2026-11-25 dinner with @lee)
--   contacts.md (end)      # Zine fair / ## Kim Sato @kim @kimsato #every:1w, due in exactly 0 days

local cli = require('cli')
local kith, shell_quote = cli.run, cli.shell_quote
local TODAY = '2026-11-26'

local json = (vim and vim.json) or require('cjson')
local function decode(out)
  return cli.decode(json, out)
end
local NULL = (vim and vim.NIL) or json.null

local function here()
  local src = debug.getinfo(1, 'S').source:gsub('^@', '')
  return src:match('^(.*)/[^/]*$') or '.'
end
local VAULT = here() .. '/vaults/conformance'

local MEETING = 'meetings/2026-11-24-portfolio-review.md'
local WEEKLY = 'weekly/2026-W47.md'
local JOURNAL = 'journal/2026-11.md'
local D20 = 'daily/2026-11-20.md'
local D27 = 'daily/2026-11-27.md'

-- Matchers for fields whose exact text SPEC leaves free.
local Matcher = {}
-- A string holding `s` ("Message wording may differ, but the severity and the position must
-- match": the key part of the message is still checked).
local function has(s)
  return setmetatable({ kind = 'has', s = s }, Matcher)
end
-- Any non-empty string (the agenda's `reason`: "wording free").
local SENTENCE = setmetatable({ kind = 'sentence' }, Matcher)

local function show(v)
  if v == NULL then
    return 'null'
  elseif v == nil then
    return '(missing)'
  elseif getmetatable(v) == Matcher then
    return v.kind == 'has' and ('a string holding %q'):format(v.s) or 'a non-empty string'
  elseif type(v) == 'table' then
    local ok, s = pcall(json.encode, v)
    return ok and s or tostring(v)
  elseif type(v) == 'string' then
    return ('%q'):format(v)
  end
  return tostring(v)
end

-- Compares `got` with `want` field by field; appends one line per difference to `out`, naming
-- the field by its path. A record in `want` lists the fields SPEC requires (extra fields in
-- `got` are fine); a list must match in length and order. `key(i, elem)` names list elements.
local function diff(want, got, where, out, key)
  if getmetatable(want) == Matcher then
    local ok = type(got) == 'string' and got ~= ''
    if ok and want.kind == 'has' then
      ok = got:find(want.s, 1, true) ~= nil
    end
    if not ok then
      out[#out + 1] = ('%s: want %s, got %s'):format(where, show(want), show(got))
    end
    return
  end
  if type(want) ~= 'table' or want == NULL then
    if want ~= got then
      out[#out + 1] = ('%s: want %s, got %s'):format(where, show(want), show(got))
    end
    return
  end
  if type(got) ~= 'table' or got == NULL then
    out[#out + 1] = ('%s: want %s, got %s'):format(where, show(want), show(got))
    return
  end
  local is_list = want[1] ~= nil or next(want) == nil
  if is_list then
    local function name(i, e)
      return key and key(i, e) or tostring(i)
    end
    if #want ~= #got then
      local w, g = {}, {}
      for i, e in ipairs(want) do
        w[#w + 1] = name(i, e)
      end
      for i, e in ipairs(got) do
        g[#g + 1] = name(i, e)
      end
      out[#out + 1] = ('%s: want %d elements [%s], got %d [%s]'):format(
        where,
        #want,
        table.concat(w, ', '),
        #got,
        table.concat(g, ', ')
      )
    end
    for i = 1, math.min(#want, #got) do
      diff(want[i], got[i], ('%s[%d %s]'):format(where, i, name(i, want[i])), out)
    end
    return
  end
  local keys = {}
  for k in pairs(want) do
    keys[#keys + 1] = k
  end
  table.sort(keys)
  for _, k in ipairs(keys) do
    diff(want[k], got[k], where .. '.' .. k, out)
  end
end

local function expect(want, got, what, key)
  local out = {}
  diff(want, got, what, out, key)
  assert(#out == 0, ('%d difference(s) in %s:\n  '):format(#out, what) .. table.concat(out, '\n  '))
end

local function by_path_line(_, e)
  return type(e) == 'table' and (tostring(e.path) .. ':' .. tostring(e.line)) or '?'
end
local function by_agenda(_, e)
  return type(e) == 'table' and (tostring(e.group) .. '/' .. tostring(e.handle) .. '@' .. tostring(e.path) .. ':' .. tostring(e.line))
    or '?'
end

local function copy(t, over)
  local c = {}
  for k, v in pairs(t) do
    c[k] = v
  end
  for k, v in pairs(over or {}) do
    c[k] = v
  end
  return c
end

-- ---------------------------------------------------------------------------------------------
-- The contacts, as `kith balances --json --today 2026-11-26` must give them (SPEC §2).
-- "A handle is listed when it is declared, is the counterparty of a counted interaction, or (v2)
-- has a follow-up." Not listed: acme.com, martins.dev, northwind.io, ito.berlin (e-mail
-- addresses: "The @ must begin the text or follow a character outside [A-Za-z0-9_.+-]"),
-- alice.c (a code span), frank (only named in Dan's nested item and in his own undated item).
-- ---------------------------------------------------------------------------------------------
local C = {}

-- alice: declared contacts.md:9 (### Alice Chen @alice #every:3x) and people/alice.md:1.
--   name: "The name comes from the first declaration in (path, line) order, paths compared
--   bytewise": contacts.md < people/alice.md, and "The tag is not part of the display name,
--   valid or not" -> "Alice Chen" (not "Alice Chen (Northwind)").
--   cadence: contacts.md's 3x is invalid; "the first (path, line) that carries a valid cadence
--   gives it": people/alice.md #every:3w = 21.
--   counted (all in her sections unless said):
--     alice.md:11 2026-10-05 #met                          met 1
--     alice.md:12 2026-10-20 #gave:2. ... see @bob         gave 2 ("#gave:2. is weight 2"; the
--                  leading run stops at `intro`, so rule 2: the section is Alice's, not @bob)
--     alice.md:13 2026-11-02 #got:3                        got 3
--     alice.md:14 2026-11-10 #gave ... #got ...            gave 1, got 1 (an exchange)
--     alice.md:15 [x] 2026-11-12 #gave                     gave 1 ("[x] count as before")
--     bob.md:7    2026-11-18 #gave @alice (in Bob's section) gave 1 (leading run, rule 1)
--   not counted: alice.md:16 #gave:2.5 (error), alice.md:17 2026-11-30 (future: warning),
--   alice.md:23 `- [ ] ask about...` (no kind tag: not an interaction, so no follow-up).
--   gave 5, got 4, met 1, balance 1, interactions 6, first 10-05, last 11-18, 8 days.
--   first_move: the earliest give/receive is 10-20, a give -> "you".
--   due_in = 21 - 8 = 13. Follow-ups: alice.md:21 (11-24 < today: overdue) and alice.md:22
--   (12-01), text "whitespace runs as one space" -> "#met the design review".
--   status: "overdue (a follow-up is overdue)" comes first.
C.alice = {
  handle = 'alice',
  name = 'Alice Chen',
  declared = { { path = 'contacts.md', line = 9 }, { path = 'people/alice.md', line = 1 } },
  gave = 5,
  got = 4,
  met = 1,
  balance = 1,
  interactions = 6,
  first_date = '2026-10-05',
  last_date = '2026-11-18',
  days_since_last = 8,
  first_move = 'you',
  cadence_days = 21,
  due_in = 13,
  followups = {
    { path = 'people/alice.md', line = 21, date = '2026-11-24', text = '#gave send version 2 of the rubric', overdue = true },
    { path = 'people/alice.md', line = 22, date = '2026-12-01', text = '#met the design review', overdue = false },
  },
  status = 'overdue',
}

-- bob: declared people/bob.md:1 "Bob Martins".
--   bob.md:5  2026-10-21 #met                                  met 1
--   bob.md:6  2026-11-03 #got:2                                got 2
--   bob.md:8  2026-11-19 #got #got                             got 2 ("Each kind tag counts")
--   bob.md:22 1. 2026-11-20 #received `#gave` ...              got 1 (the `#gave` is a code span)
--   bob.md:23 2. [X] 2026-11-21 #met #gave:1                   met 1, gave 1 ([X] counts)
--   daily/2026-11-20.md:3  #met @bob, @carol (context date 11-20 from the file name) met 1
--   meeting:5 #met @carol, @bob, @Carol (context date 11-24)   met 1
--   meeting:7 2026-11-20 #met @bob, @carol                     met 1
--   not: bob.md:7 (#gave @alice: Alice's), bob.md:9 #gave:x, bob.md:10 2026-02-30, the HTML
--   comment (12), the fenced (17) and indented (20) code; alice.md:12 (Alice's).
--   gave 1, got 5, met 5, balance -4, interactions 8, first 10-21, last 11-24 (2 days).
--   first_move: earliest give/receive 11-03, a receive -> "them". due_in 90 - 2 = 88.
--   follow-ups, "sorted by date (undated last), then path and line": both due 11-27:
--     daily/2026-11-20.md:8 (own date) and daily/2026-11-27.md:3 (context date of the file name).
--   status: no follow-up overdue, not new, not dormant, balance < 0 -> owe.
C.bob = {
  handle = 'bob',
  name = 'Bob Martins',
  declared = { { path = 'people/bob.md', line = 1 } },
  gave = 1,
  got = 5,
  met = 5,
  balance = -4,
  interactions = 8,
  first_date = '2026-10-21',
  last_date = '2026-11-24',
  days_since_last = 2,
  first_move = 'them',
  cadence_days = NULL,
  due_in = 88,
  followups = {
    { path = D20, line = 8, date = '2026-11-27', text = '#gave @bob send him the two job posts', overdue = false },
    { path = D27, line = 3, date = '2026-11-27', text = '#gave @bob bring the printed CV to the meetup', overdue = false },
  },
  status = 'owe',
}

-- carol: never declared ("the handle when it is never declared"; the meeting note's paragraph
-- "Hosted by @carol" is no heading).
--   weekly:8  #met @carol (under ## 2026-11-16 Monday)          met 1, 11-16
--   daily/2026-11-20.md:3 #met @bob, @carol                      met 1, 11-20
--   daily/2026-11-20.md:4 #gave @carol; @hugo                    gave 1, 11-20 (`;` after a handle)
--   meeting:5 #met @carol, @bob, @Carol                          met 1, 11-24 ("distinct handles";
--             "Each counterparty ... counts it once")
--   meeting:6 #gave:3 @carol                                     gave 3, 11-24
--   meeting:7 2026-11-20 #met @bob, @carol                       met 1, 11-20
--   gave 4, got 0, met 4, balance 4, interactions 6, first 11-16, last 11-24, 2 days.
--   first_move: earliest give/receive is the give of 11-20 -> "you". due_in 88.
--   follow-up meeting:13 2026-12-03. status: got 0 and gave 4 >= 3 -> let-them-help.
C.carol = {
  handle = 'carol',
  name = 'carol',
  declared = {},
  gave = 4,
  got = 0,
  met = 4,
  balance = 4,
  interactions = 6,
  first_date = '2026-11-16',
  last_date = '2026-11-24',
  days_since_last = 2,
  first_move = 'you',
  cadence_days = NULL,
  due_in = 88,
  followups = {
    { path = MEETING, line = 13, date = '2026-12-03', text = '#gave @carol send the photos', overdue = false },
  },
  status = 'let-them-help',
}

-- dan: declared contacts.md:13 "### Dan Okafor @Dan #every:2m": handles are case-insensitive,
-- canonical lower case; cadence 2 * 30 = 60.
--   17 2026-07-10 #met met 1; 18 2026-08-02 #gave:2 gave 2; 19 (nested item, its own first
--   paragraph) 2026-08-03 #got ... @frank: leading run is only `#got`, so rule 2: Dan's section,
--   got 1; 20 "2026-09-15:" (the date may be followed by `:`) #got:3 got 3.
--   gave 2, got 4, met 1, balance -2, 4 interactions, 07-10 .. 09-15, 72 days.
--   first_move: earliest give/receive 08-02, a give -> "you". due_in = 60 - 72 = -12.
--   status: 72 > 60 -> dormant (it would not be with the default 90), before owe.
--   The #### Dan's team item is in the inner section, dan.team's, not Dan's.
C.dan = {
  handle = 'dan',
  name = 'Dan Okafor',
  declared = { { path = 'contacts.md', line = 13 } },
  gave = 2,
  got = 4,
  met = 1,
  balance = -2,
  interactions = 4,
  first_date = '2026-07-10',
  last_date = '2026-09-15',
  days_since_last = 72,
  first_move = 'you',
  cadence_days = 60,
  due_in = -12,
  followups = {},
  status = 'dormant',
}

-- dan.team: declared contacts.md:22 "#### Dan's team @dan.team" -> name "Dan's team".
--   contacts.md:24 "- [ ] #gave send the accessibility checklist": no date, no date heading,
--   no date in the file name -> "a planned item needs no date: then it has none"; its
--   counterparty is the innermost contact section, dan.team. Undated -> overdue false.
--   No counted interaction: zeros, nulls ("null without interactions"), status new.
C['dan.team'] = {
  handle = 'dan.team',
  name = "Dan's team",
  declared = { { path = 'contacts.md', line = 22 } },
  gave = 0,
  got = 0,
  met = 0,
  balance = 0,
  interactions = 0,
  first_date = NULL,
  last_date = NULL,
  days_since_last = NULL,
  first_move = NULL,
  cadence_days = NULL,
  due_in = NULL,
  followups = {
    { path = 'contacts.md', line = 24, date = NULL, text = '#gave send the accessibility checklist', overdue = false },
  },
  status = 'new',
}

-- erin: the setext heading of contacts.md:29-31 (text "Erin Walsh, ex-Acme\n@erin #every:1y")
-- declares erin at its first line, 29; name: without the handle and the tag, "whitespace
-- collapsed and trimmed" -> "Erin Walsh, ex-Acme"; cadence 365.
--   33 2026-05-02 #gave:2: gave 2; 208 days; due_in 365 - 208 = 157 (not dormant: own cadence).
--   got 0 but gave 2 < 3 -> ok.
C.erin = {
  handle = 'erin',
  name = 'Erin Walsh, ex-Acme',
  declared = { { path = 'contacts.md', line = 29 } },
  gave = 2,
  got = 0,
  met = 0,
  balance = 2,
  interactions = 1,
  first_date = '2026-05-02',
  last_date = '2026-05-02',
  days_since_last = 208,
  first_move = 'you',
  cadence_days = 365,
  due_in = 157,
  followups = {},
  status = 'ok',
}

-- frank: declared people/frank.md:1 "## Frank Li @frank #every:0d": 0d is invalid ("N an
-- integer 1-999") -> no cadence. frank.md:5 has no date at all: a warning, not counted.
-- Dan's nested item names @frank after the leading run: Dan's. -> new.
C.frank = {
  handle = 'frank',
  name = 'Frank Li',
  declared = { { path = 'people/frank.md', line = 1 } },
  gave = 0,
  got = 0,
  met = 0,
  balance = 0,
  interactions = 0,
  first_date = NULL,
  last_date = NULL,
  days_since_last = NULL,
  first_move = NULL,
  cadence_days = NULL,
  due_in = NULL,
  followups = {},
  status = 'new',
}

-- grace: never declared.
--   weekly:7  #gave @grace (## 2026-11-16 Monday)                    gave 1, 11-16
--   weekly:12 #got @grace under "### 2026-11-31 Tuesday?": 11-31 is no real date, so "the
--             innermost enclosing heading whose text begins with a real date" is ## 2026-11-16
--                                                                     got 1, 11-16
--   daily/2026-11-20.md:6 #gave:2 @grace                              gave 2, 11-20
--   meeting:9 2026-11-25 #got:2. @grace (own date beats the file's)   got 2, 11-25
--   not: daily/2026-11-27.md:4 (#met, context date 11-27 > today: future warning).
--   gave 3, got 3, met 0, balance 0, 4 interactions, 11-16 .. 11-25, 1 day.
--   first_move: 11-16 "has both" a give and a receive -> "both". due_in 89.
--   follow-up meeting:14 2026-12-04. status ok.
C.grace = {
  handle = 'grace',
  name = 'grace',
  declared = {},
  gave = 3,
  got = 3,
  met = 0,
  balance = 0,
  interactions = 4,
  first_date = '2026-11-16',
  last_date = '2026-11-25',
  days_since_last = 1,
  first_move = 'both',
  cadence_days = NULL,
  due_in = 89,
  followups = {
    { path = MEETING, line = 14, date = '2026-12-04', text = '#gave @grace introduce her to Dan', overdue = false },
  },
  status = 'ok',
}

-- gus: declared people/gus.md:1 "## Gus Ito @gus #every:" (an empty cadence: error, no
-- cadence, not part of the name).
--   5 2026-06-12 #got:2 got 2; 6 2026-07-01 #gave gave 1; 7 2026-08-01 #met met 1.
--   balance -1, 3 interactions, 117 days > 90 -> dormant (before owe); due_in 90 - 117 = -27.
--   first_move: 06-12, a receive -> "them".
C.gus = {
  handle = 'gus',
  name = 'Gus Ito',
  declared = { { path = 'people/gus.md', line = 1 } },
  gave = 1,
  got = 2,
  met = 1,
  balance = -1,
  interactions = 3,
  first_date = '2026-06-12',
  last_date = '2026-08-01',
  days_since_last = 117,
  first_move = 'them',
  cadence_days = NULL,
  due_in = -27,
  followups = {},
  status = 'dormant',
}

-- hugo: declared weekly:16 "### Hugo Brandt @hugo", inside "## 2026-11-18 Wednesday".
--   weekly:5  #met @hugo (## 2026-11-16)                      met 1, 11-16
--   weekly:6  2026-11-15 #gave @hugo (own date)               gave 1, 11-15
--   weekly:18 #gave:2 (Hugo's section, date of ## 2026-11-18) gave 2, 11-18
--   weekly:19 #got he lent me ...                             got 1, 11-18
--   daily/2026-11-20.md:4 #gave @carol; @hugo                 gave 1, 11-20 (full weight each)
--   daily/2026-11-20.md:7 2026-11-19 #met @hugo               met 1, 11-19 (own date)
--   not: weekly:26 `#gavel` (an ordinary tag), weekly:27 `@hugo` in a code span.
--   gave 4, got 1, met 2, balance 3, 6 interactions, 11-15 .. 11-20, 6 days, first_move you,
--   due_in 84. Follow-up weekly:20 2026-11-26 = today: not overdue ("date < today").
C.hugo = {
  handle = 'hugo',
  name = 'Hugo Brandt',
  declared = { { path = WEEKLY, line = 16 } },
  gave = 4,
  got = 1,
  met = 2,
  balance = 3,
  interactions = 6,
  first_date = '2026-11-15',
  last_date = '2026-11-20',
  days_since_last = 6,
  first_move = 'you',
  cadence_days = NULL,
  due_in = 84,
  followups = {
    { path = WEEKLY, line = 20, date = '2026-11-26', text = '#gave return the book, with notes', overdue = false },
  },
  status = 'ok',
}

-- ines: never declared.
--   weekly:24 #got @ines, (## 2026-11-18; `,` after a handle)      got 1, 11-18
--   daily/2026-11-20.md:5 #got a book recommendation from @ines: the leading run is `#got`
--             only, no contact section (# Friday) -> rule 3, the first handle      got 1, 11-20
--   meeting:8 #gave @ines ... #got @ines ...                        gave 1, got 1, 11-24
--   gave 1, got 3, balance -2, 3 interactions, 11-18 .. 11-24, 2 days, first_move them, due_in 88.
--   follow-up weekly:25 "- [ ] #gave @ines ..." takes the context date 2026-11-18 ("due on its
--   date") -> overdue -> status overdue (before owe).
C.ines = {
  handle = 'ines',
  name = 'ines',
  declared = {},
  gave = 1,
  got = 3,
  met = 0,
  balance = -2,
  interactions = 3,
  first_date = '2026-11-18',
  last_date = '2026-11-24',
  days_since_last = 2,
  first_move = 'them',
  cadence_days = NULL,
  due_in = 88,
  followups = {
    { path = WEEKLY, line = 25, date = '2026-11-18', text = '#gave @ines send her my notes on the reading list', overdue = true },
  },
  status = 'overdue',
}

-- jo: only a follow-up (daily/2026-11-20.md:9, 2026-11-28): "Contacts with only a follow-up are
-- listed" (issue) / "or (v2) has a follow-up". jo@acme.com (daily:11, the meeting note's
-- heading) holds no handle. -> new.
C.jo = {
  handle = 'jo',
  name = 'jo',
  declared = {},
  gave = 0,
  got = 0,
  met = 0,
  balance = 0,
  interactions = 0,
  first_date = NULL,
  last_date = NULL,
  days_since_last = NULL,
  first_move = NULL,
  cadence_days = NULL,
  due_in = NULL,
  followups = {
    { path = D20, line = 9, date = '2026-11-28', text = "#met @jo intro call, she'll propose a time", overdue = false },
  },
  status = 'new',
}

-- kim: declared contacts.md:38 "## Kim Sato @kim @kimsato #every:1w": "the first handle in it"
-- is declared; the name is the text "without that handle token" -> "Kim Sato @kimsato" (kimsato is
-- declared nowhere and never a counterparty: not listed). Cadence 7.
--   42 "2026-11-19<TAB>#met" (a tab may follow the date): met 1, 7 days ago.
--   due_in = 7 - 7 = 0; dormant needs days_since_last > cadence: 7 > 7 is false -> not dormant.
--   No give or receive: first_move null. gave 0 < 3 -> ok.
C.kim = {
  handle = 'kim',
  name = 'Kim Sato @kimsato',
  declared = { { path = 'contacts.md', line = 38 } },
  gave = 0,
  got = 0,
  met = 1,
  balance = 0,
  interactions = 1,
  first_date = '2026-11-19',
  last_date = '2026-11-19',
  days_since_last = 7,
  first_move = NULL,
  cadence_days = 7,
  due_in = 0,
  followups = {},
  status = 'ok',
}

-- lee: declared journal:16 "### 2026-11-25 dinner with @lee" (a heading whose text holds a
-- handle declares it, even a date heading) -> name "2026-11-25 dinner with". That heading's
-- section is lee's and its items are dated 2026-11-25.
--   journal:5  #MET @lee ("tag (case-insensitive)"), ## 2026-11-23: Monday (`:` after the date)
--                                                                         met 1, 11-23
--   journal:6  #gave:2 @lee, @mo ... #zines                              gave 2, 11-23 (full weight)
--   journal:19 #got a zine (lee's section, 11-25)                        got 1, 11-25
--   journal:20 2026-11-22 #met @mo. She came along.  The leading run holds tokens that are "a tag
--              or a handle ..., optionally followed by , or ;": `@mo.` is a handle followed by
--              `.`, so the run is `#met` alone and rule 2 gives the section: lee   met 1, 11-22
--              (SPEC read to the letter; a reader may have meant mo: see the report)
--   not: journal:13 "[x] #got @lee" under "## 2026-11-24Tuesday" (no delimiter after the date: no
--   date heading; the file name "2026-11.md" begins with no date) -> no date, warning;
--   journal:18 #gave:1000 (error).
--   gave 2, got 1, met 2, balance 1, 4 interactions, 11-22 .. 11-25, 1 day, first_move: the
--   earliest give/receive is 11-23, a give -> you. due_in 89.
--   follow-up journal:8 "[ ] #met @lee @mo" (11-23 from the heading) -> overdue.
C.lee = {
  handle = 'lee',
  name = '2026-11-25 dinner with',
  declared = { { path = JOURNAL, line = 16 } },
  gave = 2,
  got = 1,
  met = 2,
  balance = 1,
  interactions = 4,
  first_date = '2026-11-22',
  last_date = '2026-11-25',
  days_since_last = 1,
  first_move = 'you',
  cadence_days = NULL,
  due_in = 89,
  followups = {
    { path = JOURNAL, line = 8, date = '2026-11-23', text = '#met @lee @mo walk through the stall plan', overdue = true },
  },
  status = 'overdue',
}

-- mo: never declared.
--   journal:6 #gave:2 @lee, @mo                                 gave 2, 11-23
--   journal:7 "(#got:2) @mo lent us ...": a tag may follow `(`; the weight runs to the space,
--             "less trailing ... )" -> 2. Counterparty: @mo (rule 1 or, if "(#got:2)" is no
--             tag token, rule 3; no contact section here)      got 2, 11-23
--   not: journal:12 (no date: warning), journal:20 (lee's, above).
--   gave 2, got 2, balance 0, 2 interactions, 11-23, 3 days; first_move: 11-23 has both -> both.
--   due_in 87. Follow-up journal:8 (11-23) -> overdue.
C.mo = {
  handle = 'mo',
  name = 'mo',
  declared = {},
  gave = 2,
  got = 2,
  met = 0,
  balance = 0,
  interactions = 2,
  first_date = '2026-11-23',
  last_date = '2026-11-23',
  days_since_last = 3,
  first_move = 'both',
  cadence_days = NULL,
  due_in = 87,
  followups = {
    { path = JOURNAL, line = 8, date = '2026-11-23', text = '#met @lee @mo walk through the stall plan', overdue = true },
  },
  status = 'overdue',
}

-- "Contacts sorted by handle" (bytewise: dan < dan.team).
local HANDLES = {
  'alice',
  'bob',
  'carol',
  'dan',
  'dan.team',
  'erin',
  'frank',
  'grace',
  'gus',
  'hugo',
  'ines',
  'jo',
  'kim',
  'lee',
  'mo',
}

-- ---------------------------------------------------------------------------------------------
-- Diagnostics, "sorted by path, line, column" (SPEC §3). Column: "the date for an invalid date,
-- the tag for a bad weight, the list marker otherwise"; cadence "at the tag"; future "at the
-- date; at the list marker for a context date".
-- ---------------------------------------------------------------------------------------------
local DIAGNOSTICS = {
  -- "### Alice Chen @alice #every:3x": the `#` of the tag is byte 23.
  { path = 'contacts.md', line = 9, column = 23, severity = 'error', message = has("invalid cadence '3x'") },
  -- "- #met with jo@acme.com about the venue": dated by the file name, no handle at all.
  { path = D20, line = 11, column = 1, severity = 'warning', message = has('names no contact') },
  -- "- #met @grace breakfast ..." in tomorrow's note: counted, context date 11-27 > today; at
  -- the list marker.
  { path = D27, line = 4, column = 1, severity = 'warning', message = has('date is in the future') },
  -- journal:12 "- #gave @mo the flyer files": "## 2026-11-24Tuesday" is no date heading ("the
  -- date followed by the same delimiters"), the file name begins with no date -> no date.
  { path = JOURNAL, line = 12, column = 1, severity = 'warning', message = has('has no date') },
  -- journal:13 "- [x] #got @lee ...": checked, so not planned: the same warning.
  { path = JOURNAL, line = 13, column = 1, severity = 'warning', message = has('has no date') },
  -- journal:14 "- [ ] #gave send the zine scans to whoever asked": planned (needs no date), but
  -- no counterparty at all: "interaction with no counterparty" -> warning (it would otherwise be
  -- an interaction; a promise to nobody is worth telling).
  { path = JOURNAL, line = 14, column = 1, severity = 'warning', message = has('names no contact') },
  -- journal:18 "- #gave:1000 ...": the tag at byte 3.
  { path = JOURNAL, line = 18, column = 3, severity = 'error', message = has("invalid weight '1000'") },
  -- "- 2026-11-15 #gave:2.5": the tag begins at byte 14.
  { path = 'people/alice.md', line = 16, column = 14, severity = 'error', message = has("invalid weight '2.5'") },
  -- "- 2026-11-30 #met ...": at the date, byte 3.
  { path = 'people/alice.md', line = 17, column = 3, severity = 'warning', message = has('date is in the future') },
  -- "- 2026-11-22 #gave:x".
  { path = 'people/bob.md', line = 9, column = 14, severity = 'error', message = has("invalid weight 'x'") },
  -- "- 2026-02-30 #met": at the date.
  { path = 'people/bob.md', line = 10, column = 3, severity = 'error', message = has('invalid date 2026-02-30') },
  -- "## Frank Li @frank #every:0d": byte 20.
  { path = 'people/frank.md', line = 1, column = 20, severity = 'error', message = has("invalid cadence '0d'") },
  -- "- #gave @frank a copy ...": no date, no date heading, no date in the file name, not planned.
  { path = 'people/frank.md', line = 5, column = 1, severity = 'warning', message = has('has no date') },
  -- "## Gus Ito @gus #every:": byte 17; SPEC names `#every:` among the bad ones.
  { path = 'people/gus.md', line = 1, column = 17, severity = 'error', message = has('invalid cadence') },
  -- "- #met `@hugo` (he was there too)": the handle is in a code span.
  { path = WEEKLY, line = 27, column = 1, severity = 'warning', message = has('names no contact') },
}

-- ---------------------------------------------------------------------------------------------
-- The agenda (SPEC §3). Follow-up items carry the item's path, line, date and text; contact
-- items the first declaration (undeclared: the first counted interaction), `date` = last_date,
-- `text` null. `name` is the contact's name in both.
-- ---------------------------------------------------------------------------------------------
local function fu(group, handle, f)
  return {
    group = group,
    handle = handle,
    name = C[handle].name,
    path = f.path,
    line = f.line,
    date = f.date,
    text = f.text,
    reason = SENTENCE,
  }
end
local function who(group, handle, path, line)
  return {
    group = group,
    handle = handle,
    name = C[handle].name,
    path = path,
    line = line,
    date = C[handle].last_date,
    text = NULL,
    reason = SENTENCE,
  }
end

-- followup-overdue, "oldest date first": ines 11-18 (a context date), then journal:8 of 11-23
-- once per counterparty ("A follow-up with several counterparties appears once per
-- counterparty"), "ties by handle": lee, mo; then alice 11-24.
local OVERDUE = {
  fu('followup-overdue', 'ines', C.ines.followups[1]),
  fu('followup-overdue', 'lee', C.lee.followups[1]),
  fu('followup-overdue', 'mo', C.mo.followups[1]),
  fu('followup-overdue', 'alice', C.alice.followups[1]),
}
-- followup-due, "from today to today + N days ... soonest first; ties by handle, then path and
-- line". Today + 7 = 12-03 (taken as inclusive: "to today + N days"). Dated follow-ups:
-- hugo 11-26 (today), bob 11-27 x2, jo 11-28, alice 12-01, carol 12-03 (the last day);
-- grace 12-04 is out; dan.team's undated one is never due.
local DUE7 = {
  fu('followup-due', 'hugo', C.hugo.followups[1]),
  fu('followup-due', 'bob', C.bob.followups[1]),
  fu('followup-due', 'bob', C.bob.followups[2]),
  fu('followup-due', 'jo', C.jo.followups[1]),
  fu('followup-due', 'alice', C.alice.followups[2]),
  fu('followup-due', 'carol', C.carol.followups[1]),
}
-- --days 3: 11-26 .. 11-29.
local DUE3 = { DUE7[1], DUE7[2], DUE7[3], DUE7[4] }
-- reach-out: dormant, "smallest due_in first": gus -27, dan -12.
local REACH = {
  who('reach-out', 'gus', 'people/gus.md', 1),
  who('reach-out', 'dan', 'contacts.md', 13),
}
-- give-first: status new, no order key but "ties by handle": dan.team, frank, jo.
-- jo is declared nowhere and has no counted interaction: SPEC gives no place for it. The
-- reasonable one (and README's): its follow-up, daily/2026-11-20.md:9; date = last_date = null.
local GIVE = {
  who('give-first', 'dan.team', 'contacts.md', 22),
  who('give-first', 'frank', 'people/frank.md', 1),
  who('give-first', 'jo', D20, 9),
}
-- owe: "smallest balance first": only bob (-4); ines (-2) is overdue ("appears only through its
-- follow-ups"), dan (-2) and gus (-1) are dormant.
local OWE = { who('owe', 'bob', 'people/bob.md', 1) }
-- let-them-help: carol. Undeclared: "the first counted interaction". SPEC does not say first
-- by what. The hand computation first read it as the earliest-dated one, weekly:8 (11-16);
-- kith takes the first in (path, line) order, daily/2026-11-20.md:3 (11-20), the order SPEC
-- uses for "the first declaration" in the same sentence ("in (path, line) order", §1, §2).
-- Both are reasonable; kith's is consistent with declarations, so this expectation follows it.
local HELP = { who('let-them-help', 'carol', D20, 3) }

local function concat(...)
  local out = {}
  for _, t in ipairs({ ... }) do
    for _, e in ipairs(t) do
      out[#out + 1] = e
    end
  end
  return out
end

-- ---------------------------------------------------------------------------------------------
-- History (SPEC §3): "every counted interaction and every follow-up of that handle, sorted by
-- date descending (undated follow-ups first), then path and line; text as for follow-ups".
-- gave/got/met are the item's weights (for a follow-up: the weights it would count).
-- ---------------------------------------------------------------------------------------------
local function h(path, line, date, gave, got, met, planned, text)
  return { path = path, line = line, date = date, gave = gave, got = got, met = met, planned = planned, text = text }
end

local HISTORY = {
  alice = {
    handle = 'alice',
    name = 'Alice Chen',
    items = {
      h('people/alice.md', 22, '2026-12-01', 0, 0, 1, true, '#met the design review'),
      h('people/alice.md', 21, '2026-11-24', 1, 0, 0, true, '#gave send version 2 of the rubric'),
      h('people/bob.md', 7, '2026-11-18', 1, 0, 0, false, "#gave @alice the notes from Bob's talk, she asked for them"),
      h('people/alice.md', 15, '2026-11-12', 1, 0, 0, false, '#gave shared the workshop recording'),
      h('people/alice.md', 14, '2026-11-10', 1, 1, 0, false, '#gave the rubric #got her hiring notes'),
      h('people/alice.md', 13, '2026-11-02', 0, 3, 0, false, '#got:3 reviewed my talk proposal, line by line'),
      h('people/alice.md', 12, '2026-10-20', 2, 0, 0, false, '#gave:2. intro to Bob for his job search, see @bob'),
      h('people/alice.md', 11, '2026-10-05', 0, 0, 1, false, '#met coffee at the design systems meetup'),
    },
  },
  -- 11-27: two follow-ups, daily/2026-11-20.md before daily/2026-11-27.md (path); 11-20: daily:3,
  -- meetings:7, people/bob.md:22 (path, bytewise).
  bob = {
    handle = 'bob',
    name = 'Bob Martins',
    items = {
      h(D20, 8, '2026-11-27', 1, 0, 0, true, '#gave @bob send him the two job posts'),
      h(D27, 3, '2026-11-27', 1, 0, 0, true, '#gave @bob bring the printed CV to the meetup'),
      h(MEETING, 5, '2026-11-24', 0, 0, 1, false, '#met @carol, @bob, @Carol the whole evening'),
      h('people/bob.md', 23, '2026-11-21', 1, 0, 1, false, '#met #gave:1 walked him through the portfolio review'),
      h(D20, 3, '2026-11-20', 0, 0, 1, false, '#met @bob, @carol coffee after the design talk'),
      h(MEETING, 7, '2026-11-20', 0, 0, 1, false, '#met @bob, @carol lunch to plan it'),
      h('people/bob.md', 22, '2026-11-20', 0, 1, 0, false, '#received `#gave` a reference letter'),
      h('people/bob.md', 8, '2026-11-19', 0, 2, 0, false, '#got #got two leads for the workshop'),
      h('people/bob.md', 6, '2026-11-03', 0, 2, 0, false, '#got:2 he reviewed my portfolio site'),
      h('people/bob.md', 5, '2026-10-21', 0, 0, 1, false, "#met call about his search, after Alice's intro"),
    },
  },
  -- meeting:5 #met counts once although @carol is named twice (@carol, @Carol).
  carol = {
    handle = 'carol',
    name = 'carol',
    items = {
      h(MEETING, 13, '2026-12-03', 1, 0, 0, true, '#gave @carol send the photos'),
      h(MEETING, 5, '2026-11-24', 0, 0, 1, false, '#met @carol, @bob, @Carol the whole evening'),
      h(MEETING, 6, '2026-11-24', 3, 0, 0, false, "#gave:3 @carol the venue costs, she'll pay it forward"),
      h(D20, 3, '2026-11-20', 0, 0, 1, false, '#met @bob, @carol coffee after the design talk'),
      h(D20, 4, '2026-11-20', 1, 0, 0, false, '#gave @carol; @hugo intro to each other, both work on design tokens'),
      h(MEETING, 7, '2026-11-20', 0, 0, 1, false, '#met @bob, @carol lunch to plan it'),
      h(WEEKLY, 8, '2026-11-16', 0, 0, 1, false, '#met @carol she joined the guild call'),
    },
  },
  -- journal: 11-25 (19), 11-23 (5, 6, and the follow-up 8), 11-22 (20); the follow-up's weights
  -- are those it would count (#met: met 1).
  lee = {
    handle = 'lee',
    name = '2026-11-25 dinner with',
    items = {
      h(JOURNAL, 19, '2026-11-25', 0, 1, 0, false, '#got a zine about risograph printing'),
      h(JOURNAL, 5, '2026-11-23', 0, 0, 1, false, '#MET @lee at the bookshop, she runs the print studio'),
      h(JOURNAL, 6, '2026-11-23', 2, 0, 0, false, '#gave:2 @lee, @mo a stall each at the fair #zines'),
      h(JOURNAL, 8, '2026-11-23', 0, 0, 1, true, '#met @lee @mo walk through the stall plan'),
      h(JOURNAL, 20, '2026-11-22', 0, 0, 1, false, '#met @mo. She came along.'),
    },
  },
  -- An undated follow-up only: date null.
  ['dan.team'] = {
    handle = 'dan.team',
    name = "Dan's team",
    items = {
      h('contacts.md', 24, NULL, 1, 0, 0, true, '#gave send the accessibility checklist'),
    },
  },
}

describe('SPEC v2 conformance on a hand-written vault', function()
  local function contacts_by_handle(got)
    local map, order = {}, {}
    for _, c in ipairs(got.contacts or {}) do
      map[c.handle] = c
      order[#order + 1] = c.handle
    end
    return map, order
  end

  local function check_contacts(want_by_handle, got, what)
    local out = {}
    local map, order = contacts_by_handle(got)
    diff(HANDLES, order, what .. '.contacts (handles, in order)', out)
    for _, handle in ipairs(HANDLES) do
      if map[handle] then
        diff(want_by_handle[handle], map[handle], ('%s.contacts[%s]'):format(what, handle), out)
      end
    end
    assert(#out == 0, ('%d difference(s) in %s:\n  '):format(#out, what) .. table.concat(out, '\n  '))
  end

  it('balances --json: every contact, field by field', function()
    local out, code, err = kith({ 'balances', '--json', '--today', TODAY, VAULT })
    assert.are.equal(0, code, err)
    local got = decode(out)
    expect(TODAY, got.today, 'balances.today')
    check_contacts(C, got, 'balances')
  end)

  it('balances --json: the diagnostics', function()
    local out, code, err = kith({ 'balances', '--json', '--today', TODAY, VAULT })
    assert.are.equal(0, code, err)
    expect(DIAGNOSTICS, decode(out).diagnostics, 'balances.diagnostics', by_path_line)
  end)

  -- --dormant-days 30 --accept-help-after 2: only the default cadence and the help threshold move.
  --   due_in = (cadence_days or 30) - days_since_last, for those without a cadence:
  --     bob 28, carol 28, grace 29, gus 30 - 117 = -87 (dormant), hugo 24, ines 28, lee 29, mo 27.
  --   alice 13, dan -12, erin 157, kim 0 keep their own cadence (erin 208 days: still not dormant).
  --   status: erin got 0 and gave 2 >= 2 -> let-them-help (was ok); carol stays let-them-help;
  --   hugo got 1 -> ok; grace got 3 -> ok; the rest unchanged.
  local C30 = {}
  for handle, c in pairs(C) do
    C30[handle] = copy(c)
  end
  C30.bob.due_in, C30.carol.due_in, C30.grace.due_in = 28, 28, 29
  C30.gus.due_in, C30.hugo.due_in, C30.ines.due_in = -87, 24, 28
  C30.lee.due_in, C30.mo.due_in = 29, 27
  C30.erin.status = 'let-them-help'

  it('balances --json --dormant-days 30 --accept-help-after 2', function()
    local out, code, err = kith({
      'balances',
      '--json',
      '--today',
      TODAY,
      '--dormant-days',
      '30',
      '--accept-help-after',
      '2',
      VAULT,
    })
    assert.are.equal(0, code, err)
    check_contacts(C30, decode(out), 'balances(30, 2)')
  end)

  it('check --json and the text form: the same diagnostics; exit 1 (there are errors)', function()
    local out, code, err = kith({ 'check', '--json', '--today', TODAY, VAULT })
    assert.are.equal(1, code, err)
    local got = decode(out)
    -- SPEC does not say the shape of `check --json`: an object with `diagnostics` (as in
    -- balances) or the bare list are both taken.
    local list = got.diagnostics or got
    expect(DIAGNOSTICS, list, 'check.diagnostics', by_path_line)

    local text
    text, code, err = kith({ 'check', '--today', TODAY, VAULT })
    assert.are.equal(1, code, err)
    local lines = {}
    for l in text:gmatch('([^\n]+)') do
      lines[#lines + 1] = l
    end
    local want = {}
    for _, d in ipairs(DIAGNOSTICS) do
      want[#want + 1] = ('%s:%d:%d: %s: '):format(d.path, d.line, d.column, d.severity)
    end
    local bad = {}
    if #lines ~= #want then
      bad[#bad + 1] = ('want %d lines, got %d'):format(#want, #lines)
    end
    for i = 1, math.min(#want, #lines) do
      local prefix = want[i]
      if lines[i]:sub(1, #prefix) ~= prefix then
        bad[#bad + 1] = ('line %d: want %q..., got %q'):format(i, prefix, lines[i])
      elseif not lines[i]:find(DIAGNOSTICS[i].message.s, 1, true) then
        bad[#bad + 1] = ('line %d: message should hold %q: %q'):format(i, DIAGNOSTICS[i].message.s, lines[i])
      end
    end
    assert(#bad == 0, 'check text:\n  ' .. table.concat(bad, '\n  '))
  end)

  it('agenda --json (7 days): groups, order and fields', function()
    local out, code, err = kith({ 'agenda', '--json', '--today', TODAY, VAULT })
    assert.are.equal(0, code, err)
    local got = decode(out)
    expect(TODAY, got.today, 'agenda.today')
    expect(concat(OVERDUE, DUE7, REACH, GIVE, OWE, HELP), got.items, 'agenda.items', by_agenda)
  end)

  it('agenda --json --days 3', function()
    local out, code, err = kith({ 'agenda', '--json', '--today', TODAY, '--days', '3', VAULT })
    assert.are.equal(0, code, err)
    expect(concat(OVERDUE, DUE3, REACH, GIVE, OWE, HELP), decode(out).items, 'agenda(--days 3).items', by_agenda)
  end)

  -- --days 0: "from today to today + 0 days": hugo's follow-up of today only.
  it('agenda --json --days 0', function()
    local out, code, err = kith({ 'agenda', '--json', '--today', TODAY, '--days', '0', VAULT })
    assert.are.equal(0, code, err)
    expect(concat(OVERDUE, { DUE7[1] }, REACH, GIVE, OWE, HELP), decode(out).items, 'agenda(--days 0).items', by_agenda)
  end)

  -- With 30 / 2: reach-out gus (-87) then dan (-12); let-them-help "largest gave first":
  -- carol (4) then erin (2, declared contacts.md:29, last 05-02).
  it('agenda --json --dormant-days 30 --accept-help-after 2', function()
    local out, code, err = kith({
      'agenda',
      '--json',
      '--today',
      TODAY,
      '--dormant-days',
      '30',
      '--accept-help-after',
      '2',
      VAULT,
    })
    assert.are.equal(0, code, err)
    local help = { HELP[1], who('let-them-help', 'erin', 'contacts.md', 29) }
    expect(concat(OVERDUE, DUE7, REACH, GIVE, OWE, help), decode(out).items, 'agenda(30, 2).items', by_agenda)
  end)

  for _, handle in ipairs({ 'alice', 'bob', 'carol', 'dan.team', 'lee' }) do
    it('history ' .. handle .. ' --json', function()
      local out, code, err = kith({ 'history', handle, '--json', '--today', TODAY, VAULT })
      assert.are.equal(0, code, err)
      expect(HISTORY[handle], decode(out), 'history(' .. handle .. ')', by_path_line)
    end)
  end

  it('history of an unknown handle exits 2', function()
    local _, code = kith({ 'history', 'nobody', '--json', '--today', TODAY, VAULT })
    assert.are.equal(2, code)
    -- acme.com only ever appears in e-mail addresses: not a handle.
    _, code = kith({ 'history', 'acme.com', '--today', TODAY, VAULT })
    assert.are.equal(2, code)
  end)
end)
