-- Keep in touch in the editor (SPEC §5 v2): :Kith agenda as the quickfix list in `kith agenda`
-- order, the `follow-up overdue` hint, and `due in Nd` on an ok contact due within 7 days
-- (annotations.due, on by default). Expectations come from `kith agenda --json` and
-- `kith balances --json` on the same copy of the example vault, never hard-coded.

local t = require('support')

local OPEN_TIMEOUT = 3000

local function agenda_json(vault)
  local out = t.capture(('%s agenda --json --today %s %s 2>/dev/null'):format(
    t.shell_quote(t.KITH_BIN), t.TODAY, t.shell_quote(vault)))
  return t.json_decode(out)
end

--- Waits until `buf` shows `expected` on every line of {line -> text} given.
local function wait_lines(buf, expected, what)
  return t.wait_for(function()
    local got = t.annotations(buf)
    for line, text in pairs(expected) do
      if got[line] ~= text then
        return false
      end
    end
    return true
  end, OPEN_TIMEOUT, what .. ': ' .. t.dump(expected), function()
    return t.dump(t.annotations(buf))
  end)
end

describe('keep in touch', function()
  local vault
  before_each(function()
    vault = t.copy_vault()
  end)
  after_each(function()
    t.teardown()
  end)

  it(':Kith agenda fills the quickfix list in `kith agenda` order, with group and reason', function()
    t.start()
    t.edit(vault .. '/people/acme.md')
    t.wait_for(function()
      return t.exec_lua("return require('kith').info(0) ~= nil")
    end, OPEN_TIMEOUT, 'acme.md attached')
    local want = agenda_json(vault).items
    assert.is_true(#want >= 5, 'the example vault has an agenda worth reading')
    local ok, msg = t.run_command('Kith agenda')
    assert.is_true(ok, msg)
    local qf = t.qflist()
    assert.are.equal(#want, #qf, 'one entry per agenda item: ' .. t.dump(qf))
    local real = t.exec_lua('return vim.loop.fs_realpath(...)', vault)
    for i, it in ipairs(want) do
      local e = qf[i]
      assert.are.equal(real .. '/' .. it.path, e.file, 'item ' .. i .. ' file')
      assert.are.equal(it.line, e.lnum, 'item ' .. i .. ' line')
      for _, part in ipairs({ it.group, '@' .. it.handle, it.reason }) do
        assert.is_truthy(e.text:find(part, 1, true), ('item %d text %q holds %q'):format(i, e.text, part))
      end
    end
    assert.are.equal('quickfix', t.exec_lua('return vim.bo.buftype'), 'the quickfix window is open')
  end)

  it('annotations show `follow-up overdue` and, by default, `due in Nd` / `due today`', function()
    local contacts = t.contacts(vault)
    assert.are.equal('overdue', contacts.grace.status, 'grace has an overdue follow-up')
    local frank = contacts.frank
    assert.are.equal('ok', frank.status)
    assert.is_true(frank.due_in >= 0 and frank.due_in <= 7, 'frank is due within 7 days')
    t.start()
    local buf = t.edit(vault .. '/people/grace.md')
    local grace = t.annotation_for(contacts.grace)
    assert.is_truthy(grace:find('follow-up overdue', 1, true))
    wait_lines(buf, { [1] = grace }, 'grace.md')
    local acme = t.edit(vault .. '/people/acme.md')
    local due = t.annotation_for(frank)
    assert.is_truthy(due:find(frank.due_in == 0 and 'due today' or 'due in', 1, true), due)
    wait_lines(acme, { [20] = due }, 'acme.md (frank)')
  end)

  it('annotations.due = false leaves the due hint out', function()
    local frank = t.contacts(vault).frank
    t.start({ setup = { annotations = { due = false } } })
    local acme = t.edit(vault .. '/people/acme.md')
    local plain = t.annotation_for(frank, false)
    assert.is_falsy(plain:find('due', 1, true))
    wait_lines(acme, { [20] = plain }, 'acme.md (frank) without the due hint')
  end)
end)
