-- Blind acceptance check of issue #18 against SPEC v3 (asks, birthdays, snoozes, introductions,
-- the graph): a vault written, with its expected `balances`, `agenda` and `graph` JSON, by a
-- helper who read SPEC alone and never the implementation (vaults/v3-give/NOTES.md has the
-- working, line by line, and the 19 places where SPEC is silent and what the helper decided):
-- asks with #ask/#needs, ticked and not, undated and after today, in a meeting note and with two
-- counterparties; birthdays on 29 February, today, without a year, a bad one before a good one;
-- a snooze past and one to come; introductions of two and of three people, a receive tagged
-- #intro (no introduction), and time together.
--
-- today = 2026-11-26. Compared as data: every field the expected files give; diagnostics by
-- path, line, column and severity (SPEC lets the wording differ); agenda items but for `reason`
-- (free wording); the graph whole. The helper's reading and ours differed once (ambiguity 17:
-- an undeclared contact with only an open ask is listed in `give-first` at that ask, as v2 does
-- with a follow-up); the expected agenda says so.

local cli = require('cli')

local function here()
  return vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
end

local DIR = here() .. '/vaults/v3-give'
local VAULT = DIR .. '/vault'
local TODAY = '2026-11-26'

local function read_json(path)
  local f = assert(io.open(path, 'rb'), 'cannot read ' .. path)
  local data = f:read('*a')
  f:close()
  return cli.decode(vim.json, data)
end

local function kith_json(args)
  local out, code, err = cli.run(args)
  assert(code == 0 or code == 1, ('kith %s: exit %s\n%s'):format(table.concat(args, ' '), tostring(code), err))
  return cli.decode(vim.json, out)
end

describe('SPEC v3 blind vault v3-give', function()
  local want = read_json(DIR .. '/expected/balances.json')
  local got = kith_json({ 'balances', '--json', '--today', TODAY, '--no-cache', VAULT })

  it('balances: the same contacts', function()
    local w, g = {}, {}
    for _, c in ipairs(want.contacts) do
      table.insert(w, c.handle)
    end
    for _, c in ipairs(got.contacts) do
      table.insert(g, c.handle)
    end
    assert.are.same(w, g)
  end)

  for _, c in ipairs(want.contacts) do
    it('balances: @' .. c.handle .. ', every field', function()
      local mine
      for _, g in ipairs(got.contacts) do
        if g.handle == c.handle then
          mine = g
        end
      end
      assert(mine, '@' .. c.handle .. ' missing')
      for field, value in pairs(c) do
        assert.are.same(value, mine[field], '@' .. c.handle .. '.' .. field)
      end
    end)
  end

  it('balances: the diagnostics (path, line, column, severity)', function()
    local function key(d)
      return ('%s:%d:%d:%s'):format(d.path, d.line, d.column, d.severity)
    end
    local w, g = {}, {}
    for _, d in ipairs(want.diagnostics) do
      table.insert(w, key(d))
    end
    for _, d in ipairs(got.diagnostics) do
      table.insert(g, key(d))
    end
    assert.are.same(w, g, vim.inspect(got.diagnostics))
  end)

  it('agenda: every item in order, the birthday and ask groups among them (but the reason)', function()
    local expected = read_json(DIR .. '/expected/agenda.json')
    local agenda = kith_json({ 'agenda', '--json', '--today', TODAY, '--no-cache', VAULT })
    assert.are.equal(expected.today, agenda.today)
    local function strip(items)
      local out = {}
      for _, it in ipairs(items) do
        local copy = {}
        for k, v in pairs(it) do
          if k ~= 'reason' then
            copy[k] = v
          end
        end
        table.insert(out, copy)
      end
      return out
    end
    assert.are.same(strip(expected.items), strip(agenda.items))
    local groups = {}
    for _, it in ipairs(agenda.items) do
      groups[it.group] = true
      assert.is_true(type(it.reason) == 'string' and #it.reason > 0, 'a reason for ' .. it.handle)
    end
    assert.is_true(groups.birthday and groups.ask, 'the vault has birthdays and asks due')
  end)

  it('graph --json: nodes and edges', function()
    assert.are.same(read_json(DIR .. '/expected/graph.json'),
      kith_json({ 'graph', '--json', '--today', TODAY, '--no-cache', VAULT }))
  end)
end)
