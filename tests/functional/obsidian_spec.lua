-- Functional tests of the command line on a vault in the Obsidian style, written here by hand:
-- a note per person with front matter (handle, aliases, every), daily notes that name people
-- by [[wiki links]] (SPEC §1 v2, "Contact notes" and "Wiki links"; §2, §3).
--
-- Self-contained like agenda_spec.lua: the binary is $KITH_BIN, else build/kith; JSON through
-- vim.json (in Neovim) or lua-cjson. Every expected value is worked out in the comments next to
-- the notes. Today is 2026-11-26.

local BIN = os.getenv('KITH_BIN') or 'build/kith'
local TODAY = '2026-11-26'

local json = (vim and vim.json) or require('cjson')
local NULL = (vim and vim.NIL) or json.null

local NOTES = {
  ['.obsidian/app.json'] = '{}\n', -- not a note (a dot folder)
  -- A contact note: declares alice at line 1, its section is the whole note; no `name`, so
  -- the file name is hers. Names a link may use: Alice Chen, Alice, A. Chen.
  ['people/Alice Chen.md'] = table.concat({
    '---', --                                   1
    'handle: "@alice"', --                      2
    'aliases:', --                              3
    '  - Alice', --                             4
    '  - A. Chen', --                           5
    'tags: [people]', --                        6
    'every: 30d', --                            7: cadence 30
    '---', --                                   8
    '# Alice Chen', --                          9: no handle: not a declaration
    '', --                                      10
    'Engineering manager at Northwind.', --     11
    '', --                                      12
    '## Log', --                                13
    '- 2026-10-02 #gave intro to a recruiter', -- 14: hers (her note is her section)
    '- [ ] 2026-12-01 #gave the rubric v2', --  15: a follow-up of hers
    '',
  }, '\n'),
  ['people/Bob Martins.md'] = table.concat({
    '---', --                                                 1
    'handle: bob', --                                         2: a handle without its @
    'aliases: [Bobby]', --                                    3
    '---', --                                                 4
    'Met at the Porto meetup. Works with [[Alice Chen]].', -- 5: prose, no item
    '',
  }, '\n'),
  -- Two contacts answer to "Sam Lee": sam by its file name, samuel by an alias (a warning at
  -- the later declaration, people/Samuel Lee.md:1).
  ['people/Sam Lee.md'] = '---\nhandle: sam\n---\n',
  ['people/Samuel Lee.md'] = '---\nhandle: samuel\naliases: [Sam Lee]\n---\n',
  -- Not YAML (`@` cannot begin a plain value): an error at 1:1, declares nothing; the rest of
  -- the note is still read.
  ['people/Grace Hopper.md'] = table.concat({
    '---', --                           1
    'handle: @grace', --                2
    '---', --                           3
    '- 2026-11-02 #met [[Alice]]', --   4: alice, met (an alias)
    '',
  }, '\n'),
  -- Daily notes: undated items take the file name's date.
  ['daily/2026-11-20.md'] = table.concat({
    '# Friday', --                                  1
    '- #got feedback from [[Alice Chen]]', --       2: alice got 1 (first-handle rule: a link)
    '- #met [[Bobby|Bob]], [[A. Chen]] coffee', --  3: leading run: bob and alice, met 1 each
    '- #gave intro to [[Bob Martins]]', --          4: bob gave 1
    '- #met lunch with [[Sam Lee]]', --             5: ambiguous (at 19): names no one
    '- #met [[Grace Hopper]] and @dan', --          6: an ordinary link, then dan: met 1
    '- `[[Alice Chen]]` #gave nothing', --          7: in code: names no contact
    '',
  }, '\n'),
  ['daily/2026-11-24.md'] = table.concat({
    '- 2026-11-23 #gave:2 [[alice chen#Log|Alice]] a review', -- 1: alice gave 2
    '- [ ] 2026-11-30 #met [[Bob Martins]] catch-up', --        2: bob's follow-up
    '',
  }, '\n'),
}

local function shell_quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function kith(args)
  local parts = { shell_quote(BIN) }
  for _, a in ipairs(args) do
    parts[#parts + 1] = shell_quote(a)
  end
  local p = assert(io.popen(table.concat(parts, ' ') .. ' 2>&1; echo "exit:$?"', 'r'))
  local out = p:read('*a')
  p:close()
  local code = tonumber(out:match('exit:(%d+)%s*$'))
  return (out:gsub('exit:%d+%s*$', '')), code
end

local function dump(v, indent)
  indent = indent or ''
  if type(v) ~= 'table' then
    return v == NULL and 'null' or string.format('%q', tostring(v))
  end
  local keys = {}
  for k in pairs(v) do
    keys[#keys + 1] = k
  end
  table.sort(keys, function(a, b)
    return tostring(a) < tostring(b)
  end)
  local parts = {}
  for _, k in ipairs(keys) do
    parts[#parts + 1] = indent .. '  ' .. tostring(k) .. ' = ' .. dump(v[k], indent .. '  ')
  end
  return '{\n' .. table.concat(parts, ',\n') .. '\n' .. indent .. '}'
end

-- Whether `want` and `got` are the same, to the field; names the first difference.
local function same(want, got, path)
  if type(want) ~= 'table' or type(got) ~= 'table' then
    assert(want == got, ('%s: want %s, got %s'):format(path, dump(want), dump(got)))
    return
  end
  for k, v in pairs(want) do
    same(v, got[k], path .. '.' .. tostring(k))
  end
  for k in pairs(got) do
    assert(want[k] ~= nil, ('%s.%s: not expected (%s)'):format(path, tostring(k), dump(got[k])))
  end
end

local vault

describe('kith on an Obsidian-style vault', function()
  setup(function()
    vault = os.tmpname()
    os.remove(vault)
    for _, dir in ipairs({ '', '/people', '/daily', '/.obsidian' }) do
      assert(os.execute('mkdir -p ' .. shell_quote(vault .. dir)))
    end
    for rel, text in pairs(NOTES) do
      local f = assert(io.open(vault .. '/' .. rel, 'wb'))
      f:write(text)
      f:close()
    end
  end)

  teardown(function()
    os.execute('rm -rf ' .. shell_quote(vault))
  end)

  it('balances --json matches the spec to the field', function()
    local out, code = kith({ 'balances', '--json', '--today', TODAY, vault })
    assert(code == 0, 'exit ' .. tostring(code) .. '\n' .. out)
    local got = json.decode(out)
    local function at(path, line)
      return { path = path, line = line }
    end
    local want = {
      today = TODAY,
      contacts = {
        {
          handle = 'alice', name = 'Alice Chen', -- her file name (no `name:`)
          -- gave: note 14 (1) + daily 11-24:1 (2); got: daily 11-20:2; met: daily 11-20:3 and
          -- Grace Hopper.md:4 (alias "Alice")
          gave = 3, got = 1, met = 2, balance = 2, interactions = 5,
          first_date = '2026-10-02', last_date = '2026-11-23', days_since_last = 3,
          first_move = 'you', -- 2026-10-02 is a give
          cadence_days = 30, due_in = 27, -- every: 30d, 30 - 3
          status = 'ok', -- got > 0, balance >= 0, 3 <= 30
          declared = { at('people/Alice Chen.md', 1) },
          followups = {
            { path = 'people/Alice Chen.md', line = 15, date = '2026-12-01',
              text = '#gave the rubric v2', overdue = false },
          },
        },
        {
          handle = 'bob', name = 'Bob Martins',
          gave = 1, got = 0, met = 1, balance = 1, interactions = 2, -- daily 11-20:3 and :4
          first_date = '2026-11-20', last_date = '2026-11-20', days_since_last = 6,
          first_move = 'you', cadence_days = NULL, due_in = 84,
          status = 'ok', -- got 0 but gave 1 < 3
          declared = { at('people/Bob Martins.md', 1) },
          followups = {
            { path = 'daily/2026-11-24.md', line = 2, date = '2026-11-30',
              text = '#met [[Bob Martins]] catch-up', overdue = false },
          },
        },
        {
          handle = 'dan', name = 'dan', -- never declared
          gave = 0, got = 0, met = 1, balance = 0, interactions = 1,
          first_date = '2026-11-20', last_date = '2026-11-20', days_since_last = 6,
          first_move = NULL, cadence_days = NULL, due_in = 84, status = 'ok',
          declared = {}, followups = {},
        },
        {
          handle = 'sam', name = 'Sam Lee',
          gave = 0, got = 0, met = 0, balance = 0, interactions = 0,
          first_date = NULL, last_date = NULL, days_since_last = NULL, first_move = NULL,
          cadence_days = NULL, due_in = NULL, status = 'new',
          declared = { at('people/Sam Lee.md', 1) }, followups = {},
        },
        {
          handle = 'samuel', name = 'Samuel Lee',
          gave = 0, got = 0, met = 0, balance = 0, interactions = 0,
          first_date = NULL, last_date = NULL, days_since_last = NULL, first_move = NULL,
          cadence_days = NULL, due_in = NULL, status = 'new',
          declared = { at('people/Samuel Lee.md', 1) }, followups = {},
        },
      },
      diagnostics = {
        { path = 'daily/2026-11-20.md', line = 5, column = 1, severity = 'warning',
          message = 'interaction names no contact' },
        { path = 'daily/2026-11-20.md', line = 5, column = 19, severity = 'warning',
          message = 'ambiguous link [[Sam Lee]]: @sam, @samuel' },
        { path = 'daily/2026-11-20.md', line = 7, column = 1, severity = 'warning',
          message = 'interaction names no contact' },
        { path = 'people/Grace Hopper.md', line = 1, column = 1, severity = 'error',
          message = 'front matter is not valid YAML: found character that cannot start any '
            .. 'token (line 2); a value that begins with @ must be quoted: "@alice"' },
        { path = 'people/Samuel Lee.md', line = 1, column = 1, severity = 'warning',
          message = "alias 'Sam Lee' is also @sam's (people/Sam Lee.md:1)" },
      },
    }
    -- (v3) Nobody here asks, has a birthday or a snooze, or was introduced.
    for _, c in ipairs(want.contacts) do
      c.asks, c.introduced = {}, {}
      c.birthday, c.birthday_in, c.age, c.snoozed_until = NULL, NULL, NULL, NULL
    end
    same(want, got, 'balances')
  end)

  it('check says the same and exits 1 for the YAML error', function()
    local out, code = kith({ 'check', '--today', TODAY, vault })
    assert(code == 1, 'exit ' .. tostring(code) .. '\n' .. out)
    local want = table.concat({
      'daily/2026-11-20.md:5:1: warning: interaction names no contact',
      'daily/2026-11-20.md:5:19: warning: ambiguous link [[Sam Lee]]: @sam, @samuel',
      'daily/2026-11-20.md:7:1: warning: interaction names no contact',
      'people/Grace Hopper.md:1:1: error: front matter is not valid YAML: found character that '
        .. 'cannot start any token (line 2); a value that begins with @ must be quoted: "@alice"',
      "people/Samuel Lee.md:1:1: warning: alias 'Sam Lee' is also @sam's (people/Sam Lee.md:1)",
      '',
    }, '\n')
    assert(out == want, 'check:\n' .. out)
  end)

  it('history lists the items that name a contact by link', function()
    local out, code = kith({ 'history', '@Alice', '--json', '--today', TODAY, vault })
    assert(code == 0, 'exit ' .. tostring(code) .. '\n' .. out)
    local got = json.decode(out)
    local where = {}
    for _, item in ipairs(got.items) do
      where[#where + 1] = item.path .. ':' .. item.line
    end
    same({
      'people/Alice Chen.md:15', -- the follow-up, 2026-12-01
      'daily/2026-11-24.md:1', -- 2026-11-23
      'daily/2026-11-20.md:2', -- 2026-11-20, by path then line
      'daily/2026-11-20.md:3',
      'people/Grace Hopper.md:4', -- 2026-11-02
      'people/Alice Chen.md:14', -- 2026-10-02
    }, where, 'history')
  end)
end)
