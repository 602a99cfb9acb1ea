-- The checks of a vault written blind from SPEC (tests/functional/vaults/<name>/: vault/ and
-- expected/ with `balances.json`, `agenda.json`, and optionally `history-<handle>.json` and
-- `graph.json`), shared by the blind specs. Compared as data: every field the expected files
-- give; diagnostics by path, line, column and severity (SPEC lets the wording differ); agenda
-- items but for `reason` (free wording), each of which must say something.
local cli = require('cli')

local M = {}

M.VAULTS = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/vaults'
M.TODAY = '2026-11-26'

function M.read_json(path)
  local f = assert(io.open(path, 'rb'), 'cannot read ' .. path)
  local data = f:read('*a')
  f:close()
  return cli.decode(vim.json, data)
end

--- `kith ARGS` (exit 0 or 1) decoded as JSON.
function M.kith_json(args)
  local out, code, err = cli.run(args)
  assert(code == 0 or code == 1, ('kith %s: exit %s\n%s'):format(table.concat(args, ' '), tostring(code), err))
  return cli.decode(vim.json, out)
end

--- Declares the `it`s that compare vault `name` with its expected files (inside a describe;
--- `it` and `assert` are the spec's busted functions, which a module does not see). Returns the
--- agenda kith printed (decoded), for more checks of the caller's.
function M.check_vault(name, it, assert)
  local dir = M.VAULTS .. '/' .. name
  local vault = dir .. '/vault'
  local want = M.read_json(dir .. '/expected/balances.json')
  local got = M.kith_json({ 'balances', '--json', '--today', M.TODAY, '--no-cache', vault })

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

  local agenda = M.kith_json({ 'agenda', '--json', '--today', M.TODAY, '--no-cache', vault })
  it('agenda: every item in order (all but the free-worded reason)', function()
    local expected = M.read_json(dir .. '/expected/agenda.json')
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
      assert.are.same(M.read_json(file),
        M.kith_json({ 'history', handle, '--json', '--today', M.TODAY, '--no-cache', vault }))
    end)
  end

  if vim.fn.filereadable(dir .. '/expected/graph.json') == 1 then
    it('graph --json: nodes and edges', function()
      assert.are.same(M.read_json(dir .. '/expected/graph.json'),
        M.kith_json({ 'graph', '--json', '--today', M.TODAY, '--no-cache', vault }))
    end)
  end
  return agenda
end

return M
