-- Functional tests of :Kith balances and :Kith check in a real Neovim (SPEC §4-5,
-- doc/kith.txt): the quickfix lists a user sees, and what the host says when asked for the
-- balances of a vault it does not follow.
--
-- Run from the repository root (after building build/kith), this file alone:
--   KITH_BIN=$PWD/build/kith bash tests/functional/run.sh tests/functional/check_spec.lua
-- or the tests whose full name matches a Lua pattern (here the :Kith check one):
--   KITH_BIN=$PWD/build/kith bash tests/functional/run.sh --filter=':Kith commands :Kith check' tests/functional
-- (--filter=':Kith commands' runs the tests of all four :Kith commands specs: template_spec.lua,
-- log_spec.lua, check_spec.lua and completion_spec.lua.)
-- Each test starts its own `nvim --embed --headless` (today pinned to 2026-11-26) on a private
-- copy of examples/vault. Expected contacts, statuses and diagnostics come from
-- `kith balances --json` and `kith check --json` on that copy, never hard-coded.

local t = require('support')

local open_note = t.open_note

local STATUS_RANK = { overdue = 0, dormant = 1, owe = 2, ['let-them-help'] = 3, new = 4, ok = 5 }

-- Specs -------------------------------------------------------------------------------------

describe(':Kith commands', function()
  local vault

  before_each(function()
    vault = t.copy_vault()
  end)

  after_each(function()
    t.teardown()
  end)

  -- 7 ------------------------------------------------------------------------------------
  it(':Kith balances lists dormant, owe, let-them-help, new, ok, each with its annotation', function()
    t.start()
    local data = t.balances(vault)
    local by_handle = {}
    for _, c in ipairs(data.contacts) do
      by_handle[c.handle] = c
    end
    open_note(vault, 'people/acme.md', 7)
    local ok, msg = t.run_command('Kith balances')
    assert.is_true(ok, msg)
    local qf = t.qflist()
    assert.are.equal(#data.contacts, #qf, 'one entry per contact: ' .. t.dump(qf))

    local want_status, got_status = {}, {}
    for _, c in ipairs(data.contacts) do
      table.insert(want_status, c.status)
    end
    table.sort(want_status, function(a, b)
      return STATUS_RANK[a] < STATUS_RANK[b]
    end)
    for i, e in ipairs(qf) do
      local h = e.text:match('@([%w_][%w_.-]*)')
      h = h and h:gsub('[.-]+$', ''):lower()
      local c = by_handle[h]
      assert.is_not_nil(c, ('entry %d names a contact: %s'):format(i, e.text))
      got_status[i] = c.status
      local ann = t.annotation_for(c)
      assert.is_truthy(e.text:find(ann, 1, true), ('entry for @%s shows %q: %s'):format(h, ann, e.text))
    end
    assert.are.same(want_status, got_status, 'entries sorted overdue, dormant, owe, let-them-help, new, ok')

    -- Each entry is at the contact's first declaring heading; an undeclared contact is at its
    -- first interaction (the first item of its handle, in path then line order).
    local real_vault = t.exec_lua('return vim.loop.fs_realpath(...)', vault)
    for _, e in ipairs(qf) do
      local h = e.text:match('@([%w_][%w_.-]*)'):gsub('[.-]+$', ''):lower()
      local c = by_handle[h]
      if c.declared[1] then
        assert.are.same({ real_vault .. '/' .. c.declared[1].path, c.declared[1].line },
          { e.file, e.lnum }, '@' .. h .. ' at its declaring heading')
      else
        local whole = io.open(e.file):read('*a'):gsub('\r', '')
        local text = select(e.lnum, whole:match(('([^\n]*)\n'):rep(e.lnum)))
        if e.lnum == 1 and text == '---' then
          -- (v3) a meeting note, whose people property names them, at its line 1
          assert.is_truthy(whole:find(c.name, 1, true),
            ('undeclared @%s at a meeting listing %s: %s'):format(h, c.name, e.file))
        else
          assert.is_truthy(text and text:lower():find('@' .. h, 1, true),
            ('undeclared @%s at an item naming it: %s:%d %q'):format(h, e.file, e.lnum, tostring(text)))
          assert.is_truthy(text:find(c.first_date, 1, true), 'at its first interaction')
        end
      end
    end
  end)

  it('kith_balances for a vault the host does not follow says so (not "still being indexed")', function()
    t.start()
    open_note(vault, 'people/acme.md', 7)
    local res = t.exec_lua([[
      local ok, res = require('kith.host').request('kith_balances', '/nonexistent/vault')
      return { ok, res }
    ]])
    assert.are.same({ false, 'kith: no note of this vault is open' }, res)
  end)

  it(':Kith check lists inbox.md\'s diagnostics with type E or W', function()
    t.start()
    local want = {}
    for _, d in ipairs(t.check(vault)) do
      if d.path == 'inbox.md' then
        table.insert(want, { lnum = d.line, col = d.column, type = d.severity == 'error' and 'E' or 'W' })
      end
    end
    assert.is_true(#want >= 5, 'inbox.md has diagnostics')
    local types = {}
    for _, w in ipairs(want) do
      types[w.type] = true
    end
    assert.is_true(types.E and types.W, 'errors and warnings in inbox.md')
    open_note(vault, 'inbox.md')
    local ok, msg = t.run_command('Kith check')
    assert.is_true(ok, msg)
    local inbox = {}
    for _, e in ipairs(t.qflist()) do
      if e.file == vault .. '/inbox.md' then
        table.insert(inbox, { lnum = e.lnum, col = e.col, type = e.type })
        assert.is_truthy(e.text:match('%S'), 'each entry has a message')
      end
    end
    assert.are.same(want, inbox)
  end)
end)
