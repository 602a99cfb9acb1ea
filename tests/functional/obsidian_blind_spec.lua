-- Blind acceptance check of issue #10 against SPEC v2 §1-§2 (written from the spec alone,
-- without reading the implementation or its other tests). The vault
-- tests/functional/vaults/obsidian-blind is an Obsidian-style vault: a note per person with
-- YAML front matter, aliases, wiki links and daily notes. Every expected field below was
-- computed by hand from SPEC; the reasoning is in the comments.
--
-- today = 2026-11-26, dormant_days = 90, accept_help_after = 3 (SPEC defaults).

local function script_dir()
  local src = debug.getinfo(1, 'S').source:sub(2)
  return vim.fn.fnamemodify(src, ':p:h')
end

local VAULT = script_dir() .. '/vaults/obsidian-blind'
local BIN = os.getenv('KITH_BIN') or 'kith'

local function balances()
  local cmd = string.format('%s balances --json --today 2026-11-26 %s 2>&1', vim.fn.shellescape(BIN),
    vim.fn.shellescape(VAULT))
  local pipe = assert(io.popen(cmd, 'r'))
  local out = pipe:read('*a')
  pipe:close()
  local ok, decoded = pcall(vim.json.decode, out)
  assert(ok and type(decoded) == 'table', 'kith: balances --json did not print JSON: ' .. out)
  return decoded
end

local NULL = vim.NIL

-- Files, in bytewise path order (.obsidian/ is skipped: its name begins with '.', so
-- .obsidian/snippet.md's "@ghost" item is not read):
--   daily/2026-11-20.md   no heading: context date from the file name, 2026-11-20
--     1 - #met [[Alice Chen]] coffee            run: #met [[Alice Chen]] -> alice, met, 11-20
--     2 - 2026-11-21 #gave [[Ali|her]] intro    own date 11-21; alias Ali -> alice, gave
--     3 - #got [[people/Bob Stone#Notes]] ...   last path component "Bob Stone" (heading
--                                               dropped) = file name of bob's note -> bob, got
--     4 - #met [[Sam]] lunch                    "Sam" is an alias of carol AND dana: warning
--                                               "ambiguous link" at `[[` (col 8), names none;
--                                               no section, no other handle: warning
--                                               "interaction names no contact" at the marker
--     5 - #met about `[[Alice Chen]]` and @carol  run stops at "about"; no section; the link is
--                                               in a code span (does not count), so the first
--                                               handle is @carol -> carol, met, 11-20
--     6 - #gave @dana, [[Bob Stone]] a joint intro  run: #gave @dana, [[Bob Stone]] -> dana
--                                               and bob, each a give of 1, 11-20
--   daily/2026-11-22.md
--     1 # 2026-11-23 Monday                     heading date wins over the file name: 11-23
--     3 - [ ] #gave [[Robert Stone]] send ...   planned: name of bob's note -> follow-up of bob
--                                               dated 11-23 (< today: overdue), not counted
--     4 - #met [[a.  chen]] quick call          alias "A. Chen", case and spaces folded ->
--                                               alice, met, 11-23
--     5 - 2026-11-30 #got [[Alice Chen]] ...    after today: warning "date is in the future"
--                                               at the date (col 3), not counted
--   daily/2026-11-25.md   context date 2026-11-25
--     1 - #met [[Dana Ortiz]] standup           file name of dana's note -> dana, met
--     2 - 2026-11-24 #got:2 [[Carol|C]], [[Nobody Known]] advice
--                                               -> carol (Nobody Known names no one), got 2
--     3 - #gave [[Nobody Known]] a hand to @erin  unresolved link is ordinary; no section;
--                                               first handle @erin -> erin, gave, 11-25
--     4 - #met <a title="[[Alice Chen]]">a chat</a> with @erin
--                                               the link is inside inline HTML (does not
--                                               count): first handle @erin -> erin, met
--   people/Alice Chen.md  handle "@alice", no name -> "Alice Chen"; declared line 1
--     9 - 2026-11-05 #met [[Bob Stone]] ...     leading link -> bob (not alice), met
--    10 - 2026-11-06 #gave a book               no leading handle: section = whole note ->
--                                               alice, gave
--   people/Bob Stone.md   handle bob, name "Robert Stone", every: 30d -> cadence 30
--    11 - 2026-11-10 #gave intro to a recruiter  under "## Notes" (not a contact heading):
--                                               section is the note -> bob, gave
--   people/Broken.md      "name: [Zed" is not YAML: error at 1:1, declares nothing (no zed
--                         declaration), rest still read:
--     7 - 2026-11-15 #met @zed hello            -> zed (undeclared, name "zed"), met
--   people/Carol.md       handle "@Carol" -> carol (lower case), name "Carol", aliases Sam, CJ
--     6 every: 3x                               error "invalid cadence '3x'" at 6:1; no cadence
--   people/Dana Ortiz.md  handle dana, aliases: Sam (string form), name "Dana Ortiz"
--     7 - 2026-11-01 #gave:3 intro to investors  section -> dana, gave 3
--     9 ## Her manager @frank                   a contact heading inside a contact note opens
--                                               an inner section: frank, named "Her manager"
--    10 - 2026-11-02 #got advice on hiring      innermost section -> frank, got
--   The alias "Sam" shared by carol and dana: issue #10 asks `kith check` for a warning "at
--   the later declaration" (people/Dana Ortiz.md:1). SPEC §1 lists no such case but does not
--   forbid it, so it is expected here as issue #10 words it.

local EXPECTED = {
  alice = {
    name = 'Alice Chen',
    declared = { { path = 'people/Alice Chen.md', line = 1 } },
    -- 11-06 gave, 11-20 met, 11-21 gave, 11-23 met (11-30 is in the future)
    gave = 2, got = 0, met = 2, balance = 2, interactions = 4,
    first_date = '2026-11-06', last_date = '2026-11-23', days_since_last = 3,
    first_move = 'you', -- earliest give/receive: 11-06 give
    cadence_days = NULL, due_in = 87, -- 90 - 3
    followups = {},
    status = 'ok', -- got == 0 but gave 2 < 3, so not let-them-help
  },
  bob = {
    name = 'Robert Stone',
    declared = { { path = 'people/Bob Stone.md', line = 1 } },
    -- 11-05 met, 11-10 gave, 11-20 got, 11-20 gave
    gave = 2, got = 1, met = 1, balance = 1, interactions = 4,
    first_date = '2026-11-05', last_date = '2026-11-20', days_since_last = 6,
    first_move = 'you', -- earliest give/receive: 11-10 give
    cadence_days = 30, due_in = 24, -- 30 - 6
    followups = {
      { path = 'daily/2026-11-22.md', line = 3, date = '2026-11-23',
        text = '#gave [[Robert Stone]] send the article', overdue = true },
    },
    status = 'overdue', -- a follow-up is overdue
  },
  carol = {
    name = 'Carol',
    declared = { { path = 'people/Carol.md', line = 1 } },
    -- 11-20 met, 11-24 got 2
    gave = 0, got = 2, met = 1, balance = -2, interactions = 2,
    first_date = '2026-11-20', last_date = '2026-11-24', days_since_last = 2,
    first_move = 'them',
    cadence_days = NULL, -- `every: 3x` is invalid: no cadence
    due_in = 88, followups = {},
    status = 'owe',
  },
  dana = {
    name = 'Dana Ortiz',
    declared = { { path = 'people/Dana Ortiz.md', line = 1 } },
    -- 11-01 gave 3, 11-20 gave, 11-25 met
    gave = 4, got = 0, met = 1, balance = 4, interactions = 3,
    first_date = '2026-11-01', last_date = '2026-11-25', days_since_last = 1,
    first_move = 'you', cadence_days = NULL, due_in = 89, followups = {},
    status = 'let-them-help', -- got == 0 and gave 4 >= 3
  },
  frank = {
    name = 'Her manager',
    declared = { { path = 'people/Dana Ortiz.md', line = 9 } },
    gave = 0, got = 1, met = 0, balance = -1, interactions = 1,
    first_date = '2026-11-02', last_date = '2026-11-02', days_since_last = 24,
    first_move = 'them', cadence_days = NULL, due_in = 66, followups = {},
    status = 'owe',
  },
  erin = {
    name = 'erin', declared = {},
    -- 11-25 gave, 11-25 met
    gave = 1, got = 0, met = 1, balance = 1, interactions = 2,
    first_date = '2026-11-25', last_date = '2026-11-25', days_since_last = 1,
    first_move = 'you', cadence_days = NULL, due_in = 89, followups = {},
    status = 'ok',
  },
  zed = {
    name = 'zed', declared = {}, -- invalid front matter declares nothing
    gave = 0, got = 0, met = 1, balance = 0, interactions = 1,
    first_date = '2026-11-15', last_date = '2026-11-15', days_since_last = 11,
    first_move = NULL, cadence_days = NULL, due_in = 79, followups = {},
    status = 'ok',
  },
}

local HANDLES = { 'alice', 'bob', 'carol', 'dana', 'erin', 'frank', 'zed' }

-- Sorted by path, line, column. Message wording may differ (SPEC §1): severity and position
-- must match; `words` must appear in the message.
local DIAGNOSTICS = {
  { path = 'daily/2026-11-20.md', line = 4, column = 1, severity = 'warning', words = { 'no contact' } },
  { path = 'daily/2026-11-20.md', line = 4, column = 8, severity = 'warning', words = { 'Sam', '@carol', '@dana' } },
  { path = 'daily/2026-11-22.md', line = 5, column = 3, severity = 'warning', words = { 'future' } },
  { path = 'people/Broken.md', line = 1, column = 1, severity = 'error', words = { 'YAML' } },
  { path = 'people/Carol.md', line = 6, column = 1, severity = 'error', words = { '3x' } },
  { path = 'people/Dana Ortiz.md', line = 1, column = 1, severity = 'warning', words = { 'Sam', 'carol' } },
}

local FIELDS = {
  'name', 'declared', 'gave', 'got', 'met', 'balance', 'interactions', 'first_date', 'last_date',
  'days_since_last', 'first_move', 'cadence_days', 'due_in', 'followups', 'status',
}

-- Fields where kith disagrees with SPEC (see the report); kept out of the assertions and
-- listed as pending below. Keys: 'handle.field'.
local KNOWN = {}

describe('obsidian-style vault (blind, SPEC §1-§2)', function()
  local out

  before_each(function()
    out = out or balances()
  end)

  it('prints today', function()
    assert.are.equal('2026-11-26', out.today)
  end)

  it('lists exactly the expected contacts, sorted by handle', function()
    local got = {}
    for _, c in ipairs(out.contacts) do
      got[#got + 1] = c.handle
    end
    assert.are.same(HANDLES, got, 'contacts: ' .. table.concat(got, ', '))
  end)

  for _, h in ipairs(HANDLES) do
    for _, f in ipairs(FIELDS) do
      local key = h .. '.' .. f
      if KNOWN[key] then
        pending(key .. ': ' .. KNOWN[key])
      else
        it(key, function()
          local c
          for _, x in ipairs(out.contacts) do
            if x.handle == h then
              c = x
            end
          end
          assert(c, 'kith: no contact ' .. h)
          assert.are.same(EXPECTED[h][f], c[f],
            string.format('%s: expected %s, got %s', key, vim.inspect(EXPECTED[h][f]), vim.inspect(c[f])))
        end)
      end
    end
  end

  it('reports exactly the expected diagnostics, in order', function()
    local got = {}
    for _, d in ipairs(out.diagnostics) do
      got[#got + 1] = string.format('%s:%d:%d: %s: %s', d.path, d.line, d.column, d.severity, d.message)
    end
    local all = table.concat(got, '\n')
    assert.are.equal(#DIAGNOSTICS, #out.diagnostics, 'diagnostics:\n' .. all)
    for i, want in ipairs(DIAGNOSTICS) do
      local d = out.diagnostics[i]
      local pos = string.format('%s:%d:%d: %s', want.path, want.line, want.column, want.severity)
      assert.are.equal(pos, string.format('%s:%d:%d: %s', d.path, d.line, d.column, d.severity),
        'diagnostic ' .. i .. ' of\n' .. all)
      for _, w in ipairs(want.words) do
        assert(d.message:find(w, 1, true), 'kith: diagnostic ' .. pos .. ' should mention ' .. w .. ': ' .. d.message)
      end
    end
  end)
end)
