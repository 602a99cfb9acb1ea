-- Functional tests of `kith agenda`, `kith history` and the v2 fields of `kith balances` on a
-- small vault written here by hand (SPEC §1-§4, rules marked v2).
--
-- Self-contained: it runs the binary with cli.lua (io.popen) and decodes JSON with vim.json (in Neovim)
-- or lua-cjson, so any runner that provides describe/it can run it. The binary is $KITH_BIN,
-- else build/kith.
--
-- The expected values are worked out by hand in the comments next to the notes and in each
-- test. Today is 2026-12-29 (a Tuesday), so the 7-day window runs to 2027-01-05, across the
-- end of the year.

local cli = require('cli')
local kith, shell_quote = cli.run, cli.shell_quote
local TODAY = '2026-12-29'

local json = (vim and vim.json) or require('cjson')
local function decode(out)
  return cli.decode(json, out)
end
local NULL = (vim and vim.NIL) or json.null

local NOTES = {
  ['people/ana.md'] = table.concat({
    '## Ana Lima @ana #every:2w', --     1: every 14 days
    '- 2026-12-10 #gave intro to Rui', -- 2: 19 days ago: due_in 14 - 19 = -5 (dormant)
    '- [ ] 2026-12-27 #gave the deck', -- 3: follow-up, 2 days overdue: status overdue
    '- [ ] #met lunch, some time', --     4: undated follow-up: never due
  }, '\n'),
  ['people/ben.md'] = table.concat({
    '## Ben Ono @ben', --                         1
    '- 2026-12-20 #got:3 a reference', --         2: balance -3, 9 days ago: owe
    '- [ ] 2027-01-02 #gave thank-you dinner', -- 3: due in 4 days
  }, '\n'),
  ['people/cy.md'] = table.concat({
    '## Cy Park @cy #every:1m', --              1: every 30 days
    '- 2026-10-01 #gave:2 #got review swap', -- 2: 89 days ago: due_in -59 (dormant)
  }, '\n'),
  ['people/dee.md'] = '## Dee Roy @dee\n', -- new
  ['people/gus.md'] = table.concat({
    '## Gus Ito @gus', --                    1
    '- 2026-12-01 #gave:4 talk feedback', -- 2: gave 4, got 0: let them help
  }, '\n'),
  ['daily/2026-12-28.md'] = table.concat({
    '# Monday', --                                     1: no date here: the file name's
    '', --                                             2
    '- #got @eli, @fay a joint intro', --              3: 2026-12-28, eli and fay got 1 each
    '- [ ] 2027-01-05 #met @dee, @ana year planning', -- 4: due in 7 days, for dee and ana
    '- 2027-01-01 #met @gus', --                       5: in the future: warning, not counted
    '- [ ] 2027-01-06 #gave @gus the book', --         6: due in 8 days: outside 7
  }, '\n'),
}

local function dump(v, indent)
  indent = indent or ''
  if v == NULL then
    return 'null'
  elseif type(v) == 'table' then
    local keys = {}
    for k in pairs(v) do
      keys[#keys + 1] = k
    end
    table.sort(keys, function(a, b)
      return tostring(a) < tostring(b)
    end)
    local out = {}
    for _, k in ipairs(keys) do
      out[#out + 1] = indent .. '  ' .. tostring(k) .. ' = ' .. dump(v[k], indent .. '  ')
    end
    return '{\n' .. table.concat(out, '\n') .. '\n' .. indent .. '}'
  end
  return type(v) == 'string' and ('%q'):format(v) or tostring(v)
end

local function same(want, got, what)
  local function eq(a, b)
    if type(a) ~= 'table' or type(b) ~= 'table' then
      return a == b
    end
    for k, v in pairs(a) do
      if not eq(v, b[k]) then
        return false
      end
    end
    for k in pairs(b) do
      if a[k] == nil then
        return false
      end
    end
    return true
  end
  assert(eq(want, got), what .. ':\nwant ' .. dump(want) .. '\ngot  ' .. dump(got))
end

local function lines(s)
  local t = {}
  for l in s:gmatch('([^\n]*)\n') do
    t[#t + 1] = l
  end
  return t
end

local vault

describe('kith agenda, history and the v2 balances', function()
  setup(function()
    vault = os.tmpname()
    os.remove(vault)
    assert(os.execute('mkdir -p ' .. shell_quote(vault .. '/people') .. ' ' .. shell_quote(vault .. '/daily')))
    for rel, text in pairs(NOTES) do
      local f = assert(io.open(vault .. '/' .. rel, 'wb'))
      f:write(text)
      f:close()
    end
  end)

  teardown(function()
    os.execute('rm -rf ' .. shell_quote(vault))
  end)

  it('agenda --json lists the groups in order, most urgent first, ties by handle', function()
    local out, code = kith({ 'agenda', '--json', '--today', TODAY, vault })
    assert(code == 0, 'exit ' .. tostring(code))
    local got = decode(out)
    assert(got.today == TODAY, 'today: ' .. tostring(got.today))
    local function item(group, handle, name, path, line, date, text)
      return { group = group, handle = handle, name = name, path = path, line = line, date = date, text = text }
    end
    local want = {
      -- ana's status is overdue: she shows only through her follow-ups (not in reach-out)
      item('followup-overdue', 'ana', 'Ana Lima', 'people/ana.md', 3, '2026-12-27', '#gave the deck'),
      -- 2027-01-02 - 2026-12-29 = 4 days; 2027-01-05 = today + 7, the last day of the window;
      -- one item naming dee and ana appears once for each, by handle
      item('followup-due', 'ben', 'Ben Ono', 'people/ben.md', 3, '2027-01-02', '#gave thank-you dinner'),
      item('followup-due', 'ana', 'Ana Lima', 'daily/2026-12-28.md', 4, '2027-01-05', '#met @dee, @ana year planning'),
      item('followup-due', 'dee', 'Dee Roy', 'daily/2026-12-28.md', 4, '2027-01-05', '#met @dee, @ana year planning'),
      -- cy: 89 days > 30 (its own cadence, not 90): dormant; contacts carry their last_date
      item('reach-out', 'cy', 'Cy Park', 'people/cy.md', 1, '2026-10-01', NULL),
      item('give-first', 'dee', 'Dee Roy', 'people/dee.md', 1, NULL, NULL),
      -- smallest balance first: ben -3; eli and fay tie at -1: by handle. Undeclared, they
      -- are placed at their first counted interaction.
      item('owe', 'ben', 'Ben Ono', 'people/ben.md', 1, '2026-12-20', NULL),
      item('owe', 'eli', 'eli', 'daily/2026-12-28.md', 3, '2026-12-28', NULL),
      item('owe', 'fay', 'fay', 'daily/2026-12-28.md', 3, '2026-12-28', NULL),
      item('let-them-help', 'gus', 'Gus Ito', 'people/gus.md', 1, '2026-12-01', NULL),
    }
    local reasons = {}
    for i, it in ipairs(got.items) do
      assert(type(it.reason) == 'string' and it.reason ~= '', 'item ' .. i .. ' has a reason')
      reasons[i] = it.reason
      it.reason = nil
    end
    same(want, got.items, 'agenda items')
    -- The wording is free; the numbers in it are not.
    assert(reasons[1]:find('2 days'), reasons[1])
    assert(reasons[2]:find('4 days'), reasons[2])
    assert(reasons[5]:find('89 days') and reasons[5]:find('30 days'), reasons[5])
  end)

  it('agenda --days sets the window of follow-ups due', function()
    local function due(days)
      local got = decode((kith({ 'agenda', '--json', '--today', TODAY, '--days', days, vault })))
      local out = {}
      for _, it in ipairs(got.items) do
        if it.group == 'followup-due' then
          out[#out + 1] = it.handle .. '@' .. it.date
        end
      end
      return out
    end
    same({}, due('0'), '--days 0: nothing is due today')
    same({ 'ben@2027-01-02' }, due('4'), '--days 4')
    same({ 'ben@2027-01-02', 'ana@2027-01-05', 'dee@2027-01-05', 'gus@2027-01-06' }, due('8'), '--days 8')
  end)

  it('agenda prints groups under headers, one line per item with its reason', function()
    local out, code = kith({ 'agenda', '--today', TODAY, vault })
    assert(code == 0, 'exit ' .. tostring(code))
    local items, headers = 0, {}
    for _, l in ipairs(lines(out)) do
      if l:match('^  ') then
        items = items + 1
        assert(l:find('@%w'), 'a line names the contact: ' .. l)
        assert(l:find('%.md:%d+$'), 'a line ends with path:line: ' .. l)
      elseif l:match('^%S') then
        headers[#headers + 1] = l
      end
    end
    assert(items == 10, 'ten lines\n' .. out)
    assert(#headers == 7, 'a title and six group headers\n' .. out)
    assert(headers[1]:find(TODAY, 1, true), 'the title names today: ' .. headers[1])
    assert(out:find('2 days overdue', 1, true), out)
  end)

  it('history lists counted interactions and follow-ups, undated first, then newest first', function()
    local out, code = kith({ 'history', '@Ana', '--json', '--today', TODAY, vault })
    assert(code == 0, 'exit ' .. tostring(code))
    local got = decode(out)
    same({
      handle = 'ana',
      name = 'Ana Lima',
      items = {
        { path = 'people/ana.md', line = 4, date = NULL, gave = 0, got = 0, met = 1, planned = true,
          text = '#met lunch, some time' },
        { path = 'daily/2026-12-28.md', line = 4, date = '2027-01-05', gave = 0, got = 0, met = 1,
          planned = true, text = '#met @dee, @ana year planning' },
        { path = 'people/ana.md', line = 3, date = '2026-12-27', gave = 1, got = 0, met = 0,
          planned = true, text = '#gave the deck' },
        { path = 'people/ana.md', line = 2, date = '2026-12-10', gave = 1, got = 0, met = 0,
          planned = false, text = '#gave intro to Rui' },
      },
    }, got, 'history of ana')
    -- gus's future item (2027-01-01) is not counted, so it is not in his history either.
    got = decode((kith({ 'history', 'gus', '--json', '--today', TODAY, vault })))
    assert(#got.items == 2, 'gus: one counted item and one follow-up\n' .. out)
    local text = kith({ 'history', 'ana', '--today', TODAY, vault })
    assert(text:find('Ana Lima @ana', 1, true), text)
    assert(#lines(text) >= 4 + 2, 'a summary and one line per item\n' .. text)
  end)

  it('history of an unknown handle exits 2 with one line on stderr', function()
    local out, code, err = kith({ 'history', 'zed', '--today', TODAY, vault })
    assert(code == 2, 'exit ' .. tostring(code))
    assert(out == '', 'nothing on stdout: ' .. out)
    assert(#lines(err) == 1, 'one line on stderr: ' .. err)
  end)

  it('balances --json has cadence_days, due_in and followups', function()
    local got = decode((kith({ 'balances', '--json', '--today', TODAY, vault })))
    local by = {}
    for _, c in ipairs(got.contacts) do
      by[c.handle] = c
    end
    local ana = assert(by.ana, 'ana is listed')
    same({ 14, -5, 'overdue', 1, 1 }, { ana.cadence_days, ana.due_in, ana.status, ana.interactions, ana.gave },
      'ana: every 2w, 19 days ago, a follow-up overdue')
    same({
      { path = 'people/ana.md', line = 3, date = '2026-12-27', text = '#gave the deck', overdue = true },
      { path = 'daily/2026-12-28.md', line = 4, date = '2027-01-05', text = '#met @dee, @ana year planning', overdue = false },
      { path = 'people/ana.md', line = 4, date = NULL, text = '#met lunch, some time', overdue = false },
    }, ana.followups, 'ana.followups: by date, undated last')
    same({ 30, -59, 'dormant' }, { by.cy.cadence_days, by.cy.due_in, by.cy.status }, 'cy')
    same({ NULL, 81, 'owe' }, { by.ben.cadence_days, by.ben.due_in, by.ben.status }, 'ben')
    same({ NULL, NULL, 'new' }, { by.dee.cadence_days, by.dee.due_in, by.dee.status }, 'dee')
    -- eli and fay: one item with the leading run "@eli, @fay" credits each the full #got
    same({ 1, 1, '2026-12-28' }, { by.eli.got, by.fay.got, by.fay.last_date }, 'eli and fay')
    same({ 4, 1, 28 }, { by.gus.gave, by.gus.interactions, by.gus.days_since_last }, 'gus (not his future item)')
  end)

  it('check reports the item dated in the future as a warning at its date', function()
    local out, code = kith({ 'check', '--today', TODAY, vault })
    assert(code == 0, 'warnings only: exit 0, got ' .. tostring(code))
    same({ 'daily/2026-12-28.md:5:3: warning: date is in the future' }, lines(out), 'check')
  end)

  it('the review template lists the follow-ups overdue or due within 7 days', function()
    local out, code = kith({ 'template', 'review', '--today', TODAY, vault })
    assert(code == 0, 'exit ' .. tostring(code))
    local section = out:match('\n###[^\n]*[Ff]ollow%-ups[^\n]*\n(.-)\n\n')
    assert(section, 'a follow-ups section\n' .. out)
    local want = { 'people/ana.md:3', 'people/ben.md:3', 'daily/2026-12-28.md:4', 'daily/2026-12-28.md:4' }
    local got = lines(section .. '\n')
    assert(#got == #want, 'four lines\n' .. section)
    for i, place in ipairs(want) do
      assert(got[i]:find(place, 1, true), ('line %d names %s: %s'):format(i, place, got[i]))
    end
  end)

  it('--help names agenda and history', function()
    local out, code = kith({ '--help' })
    assert(code == 0)
    assert(out:find('agenda', 1, true) and out:find('history', 1, true), out)
  end)
end)
