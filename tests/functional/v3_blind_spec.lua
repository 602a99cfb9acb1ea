-- Blind acceptance check of issue #17 against SPEC v3 (vault settings, contact notes by rule,
-- derived handles, meeting notes): two vaults written, with their expected `balances`,
-- `agenda` and `history` JSON, by a helper who read SPEC alone and never the implementation
-- (tests/functional/vaults/v3-NOTES.md has the working, line by line):
--
--   vaults/v3-properties   an Obsidian-style vault as public templates keep it: people as notes
--                          whose properties say so (categories, type, tags), meetings with
--                          `date` and `people`/`attendees`, a Templates folder and an excluded
--                          Archive folder (.obsidian/templates.json, app.json), no .kith
--   vaults/v3-folder-crm   a CRM kept as folders, with a .kith: contact folders, meeting
--                          properties `with` and `when`, an ignored folder, dormant_days 60,
--                          an unknown and a mistyped key
--
-- today = 2026-11-26. Compared as data: every field the expected files give; diagnostics by
-- path, line, column and severity (SPEC lets the wording differ); agenda items but for
-- `reason` (free wording). Where SPEC is silent the helper's reading and ours differed once:
-- an undeclared contact with only a follow-up (Frank Li, named by a future meeting) is listed
-- in `give-first` at that follow-up (the meeting note, line 1), not with a null path; the
-- expected file says so (v3-NOTES.md, ambiguity 2).

local cli = require('cli')

local function here()
  return vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
end

local VAULTS = here() .. '/vaults'
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

local function dump(v)
  return vim.inspect(v)
end

for _, name in ipairs({ 'v3-properties', 'v3-folder-crm' }) do
  local dir = VAULTS .. '/' .. name
  local vault = dir .. '/vault'

  describe('SPEC v3 blind vault ' .. name, function()
    local want = read_json(dir .. '/expected/balances.json')
    local got = kith_json({ 'balances', '--json', '--today', TODAY, '--no-cache', vault })

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
      assert.are.same(w, g, dump(got.diagnostics))
    end)

    it('agenda: every item in order (all but the free-worded reason)', function()
      local expected = read_json(dir .. '/expected/agenda.json')
      local agenda = kith_json({ 'agenda', '--json', '--today', TODAY, '--no-cache', vault })
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
      for _, it in ipairs(agenda.items) do
        assert.is_true(type(it.reason) == 'string' and #it.reason > 0, 'a reason for ' .. it.handle)
      end
    end)

    for _, file in ipairs(vim.fn.glob(dir .. '/expected/history-*.json', false, true)) do
      local handle = file:match('history%-(.-)%.json$')
      it('history @' .. handle, function()
        local expected = read_json(file)
        assert.are.same(expected, kith_json({ 'history', handle, '--json', '--today', TODAY, '--no-cache', vault }))
      end)
    end
  end)
end
