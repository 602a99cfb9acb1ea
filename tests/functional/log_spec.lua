-- Functional tests of kith's quick logging in a real Neovim (SPEC §4-5, doc/kith.txt): :Kith log,
-- and the maps \kg, \kr, \km with their <Plug>(kith-log-*) targets. What a user sees in the
-- editor.
--
-- Run from the repository root (after building build/kith), this file alone:
--   KITH_BIN=$PWD/build/kith bash tests/functional/run.sh tests/functional/log_spec.lua
-- or the tests whose full name matches a Lua pattern (here the :Kith log ones):
--   KITH_BIN=$PWD/build/kith bash tests/functional/run.sh --filter=':Kith commands log' tests/functional
-- (--filter=':Kith commands' runs the tests of all four :Kith commands specs: template_spec.lua,
-- log_spec.lua, check_spec.lua and completion_spec.lua.)
-- Each test starts its own `nvim --embed --headless` (today pinned to 2026-11-26) on a private
-- copy of examples/vault. Expected contacts, names and statuses come from
-- `kith balances --json` on that copy, never hard-coded.

local t = require('support')
local c = require('commands')

local TODAY = t.TODAY
local EDIT_TIMEOUT = 2000 -- ms: an inserted item shows in the annotations

-- Helpers -----------------------------------------------------------------------------------

local inserted_after, find_line = c.inserted_after, c.find_line

local gave_got = t.gave_got

local open_note, stub_ui, ui_calls = t.open_note, t.stub_ui, t.ui_calls
local type_keys, set_cursor = t.type_keys, t.set_cursor

--- maparg(lhs, 'n', false, true): the normal-mode map's dict. Its `callback` (a Lua map's
--- function, listed since Neovim 0.10) cannot cross RPC: it comes back as true.
local function maparg(lhs)
  return t.exec_lua([[
    local m = vim.fn.maparg(..., 'n', false, true)
    if m.callback then
      m.callback = true
    end
    return m
  ]], lhs)
end

-- Specs -------------------------------------------------------------------------------------

describe(':Kith commands', function()
  local vault

  before_each(function()
    vault = t.copy_vault()
  end)

  after_each(function()
    t.teardown()
  end)

  -- 5 ------------------------------------------------------------------------------------
  describe('log', function()
    it(':Kith log give @bob lunch goes after the last interaction of bob\'s section; bob\'s ↑ grows by 1', function()
      t.start()
      local buf = open_note(vault, 'people/acme.md', 7)
      local orig = t.buf_lines(buf)
      local bob_line = find_line(orig, '^## Bob Martins @bob')
      local frank_line = find_line(orig, '^## Frank Li @frank')
      assert.are.same({ 7, 20 }, { bob_line, frank_line }, 'example vault layout')
      -- The last interaction of bob's section: line 17 with its nested item on line 18.
      assert.is_truthy(orig[18]:match('^%s+%- 2026%-07%-16 #gave'), 'line 18 is the nested interaction')
      local old_gave, old_got = gave_got(t.annotations(buf)[bob_line])
      assert.is_number(old_gave)

      set_cursor(1) -- far from bob's section: the section decides, not the cursor
      local ok, msg = t.run_command('Kith log give @bob lunch')
      assert.is_true(ok, msg)
      local block = inserted_after(orig, t.buf_lines(buf), 18, 'log give @bob')
      assert.are.same({ '- ' .. TODAY .. ' #gave lunch' }, block)
      assert.are.equal('## Frank Li @frank', t.buf_lines(buf)[frank_line + 1], 'still before Frank')

      t.wait_for(function()
        local g, r = gave_got(t.annotations(buf)[bob_line])
        return g == old_gave + 1 and r == old_got
      end, EDIT_TIMEOUT, ('bob ↑%d ↓%d'):format(old_gave + 1, old_got), function()
        return t.annotations(buf)[bob_line]
      end)

      t.command('undo')
      assert.are.same(orig, t.buf_lines(buf), 'one :undo removes it')
      assert.are.equal(t.read_file(vault .. '/people/acme.md'), table.concat(orig, '\n') .. '\n', 'the file is not written')
    end)

    it(':Kith log met @carol coffee in a note without carol\'s section goes below the cursor with the handle', function()
      t.start()
      local buf = open_note(vault, 'daily/2026-11-10.md')
      local orig = t.buf_lines(buf)
      set_cursor(1)
      local ok, msg = t.run_command('Kith log met @carol coffee')
      assert.is_true(ok, msg)
      local block = inserted_after(orig, t.buf_lines(buf), 1, 'log met @carol')
      assert.are.same({ '- ' .. TODAY .. ' #met @carol coffee' }, block)
      t.command('undo')
      assert.are.same(orig, t.buf_lines(buf), 'one :undo removes it')
    end)
  end)

  -- 6 ------------------------------------------------------------------------------------
  describe('maps', function()
    it('\\kg, \\kr, \\km in Frank\'s section log after his last interaction, asking the text', function()
      t.start()
      local buf = open_note(vault, 'people/acme.md', 7)
      local orig = t.buf_lines(buf)
      assert.are.equal('## Frank Li @frank', orig[20])
      assert.is_truthy(orig[26]:match('^%- 2026%-08%-28 #met'), "line 26 is frank's last interaction")
      set_cursor(22)

      local expected = {}
      local steps = {
        { keys = '\\kg', tag = '#gave', text = 'a talk' },
        { keys = '\\kr', tag = '#got', text = 'feedback on my slides' },
        { keys = '\\km', tag = '#met', text = 'coffee' },
      }
      for i, step in ipairs(steps) do
        stub_ui({ input = step.text })
        local item = ('- %s %s %s'):format(TODAY, step.tag, step.text)
        table.insert(expected, item)
        type_keys(step.keys, function()
          return #t.buf_lines(buf) == #orig + i
        end, step.keys .. ' inserts a line', function()
          return t.dump(t.buf_lines(buf))
        end)
        local block = inserted_after(orig, t.buf_lines(buf), 26, step.keys)
        assert.are.same(expected, block, step.keys .. ': items after frank\'s last interaction')
        assert.are.equal(i, #ui_calls().inputs, step.keys .. ' asked the text once')
        assert.are.equal(0, #ui_calls().selects, step.keys .. ' did not ask for a contact')
      end
      assert.are.equal('## Open roles', t.buf_lines(buf)[28 + #steps], 'before the next heading')

      t.command('undo')
      table.remove(expected)
      assert.are.same(expected, inserted_after(orig, t.buf_lines(buf), 26, 'after one undo'), 'one undo removes the last item only')
    end)

    it('on @carol outside any contact section, \\kg logs for carol below the cursor', function()
      t.start()
      local buf = open_note(vault, 'people/acme.md', 7)
      local orig = t.buf_lines(buf)
      local line = find_line(orig, '@carol')
      assert.is_not_nil(line)
      assert.is_nil(find_line(orig, '^#+ .*@carol'), 'acme.md has no carol section')
      set_cursor(line, orig[line]:find('@carol', 1, true) - 1 + 2) -- on the "a" of @carol
      stub_ui({ input = 'the referral' })
      type_keys('\\kg', function()
        return #t.buf_lines(buf) == #orig + 1
      end, '\\kg inserts a line', function()
        return t.dump(t.buf_lines(buf))
      end)
      local block = inserted_after(orig, t.buf_lines(buf), line, '\\kg on @carol')
      assert.are.same({ '- ' .. TODAY .. ' #gave @carol the referral' }, block)
      assert.are.equal(0, #ui_calls().selects, 'no contact picker')
    end)

    it('elsewhere, \\kg lets the user pick a contact (most recent first) with vim.ui.select', function()
      t.start()
      local contacts = t.balances(vault).contacts
      local buf = open_note(vault, 'people/acme.md', 7)
      local orig = t.buf_lines(buf)
      assert.are.equal('# Acme Corp', orig[1])
      set_cursor(3) -- "Platform team of about forty...": no contact section, no handle
      assert.is_falsy(orig[3]:find('@', 1, true))
      stub_ui({ input = 'sent the CFP draft', select = 'grace' })
      type_keys('\\kg', function()
        return #t.buf_lines(buf) == #orig + 1
      end, '\\kg inserts a line after the pick', function()
        return t.dump(t.buf_lines(buf)) .. ' ui: ' .. t.dump(ui_calls())
      end)

      local calls = ui_calls()
      assert.are.equal(1, #calls.selects, 'vim.ui.select called once')
      -- Most recent first: by last_date, newest first, contacts without interactions last.
      table.sort(contacts, function(a, b)
        local da = a.last_date ~= t.json_null and a.last_date or ''
        local db = b.last_date ~= t.json_null and b.last_date or ''
        if da ~= db then
          return da > db
        end
        return a.handle < b.handle
      end)
      local want = {}
      for i, c in ipairs(contacts) do
        want[i] = c.handle
      end
      assert.are.same(want, calls.selects[1].handles, 'the picker lists the contacts, most recent first')
      for i, label in ipairs(calls.selects[1].labels) do
        assert.is_truthy(label:find('@' .. want[i], 1, true), 'the item shows @' .. want[i] .. ': ' .. label)
      end

      local block = inserted_after(orig, t.buf_lines(buf), 3, '\\kg after picking grace')
      assert.are.same({ '- ' .. TODAY .. ' #gave @grace sent the CFP draft' }, block)
      t.command('undo')
      assert.are.same(orig, t.buf_lines(buf), 'one :undo removes it')
    end)

    it('cancelling the text (vim.ui.input gives nil) or the pick inserts nothing', function()
      t.start()
      local buf = open_note(vault, 'people/acme.md', 7)
      local orig = t.buf_lines(buf)
      set_cursor(22) -- frank's section
      stub_ui({ input = nil })
      type_keys('\\kg', function()
        return #ui_calls().inputs == 1
      end, 'vim.ui.input asked')
      t.sleep(100)
      assert.are.same(orig, t.buf_lines(buf), 'nothing inserted after cancelling the text')

      set_cursor(3)
      stub_ui({ input = 'x', select = nil })
      type_keys('\\kg', function()
        return #ui_calls().selects == 1
      end, 'vim.ui.select asked')
      t.sleep(100)
      assert.are.same(orig, t.buf_lines(buf), 'nothing inserted after cancelling the pick')
      assert.are.equal(1, #ui_calls().inputs, 'no text asked after cancelling the pick')
      assert.is_false(t.exec_lua('return vim.bo.modified'), 'buffer not modified')
    end)

    it('<Plug>(kith-log-give) etc. exist and \\kg maps to it in vault buffers', function()
      t.start()
      open_note(vault, 'people/acme.md', 7)
      for _, kind in ipairs({ 'give', 'receive', 'met' }) do
        local plug = '<Plug>(kith-log-' .. kind .. ')'
        local m = maparg(plug)
        assert.are.equal(plug, m.lhs, plug .. ' exists: ' .. t.dump(m))
      end
      local m = maparg('\\kg')
      assert.are.equal(1, m.buffer, 'buffer-local \\kg: ' .. t.dump(m))
      assert.are.equal('<Plug>(kith-log-give)', m.rhs)
    end)

    it('setup({keymaps = false}) sets no \\kg in a newly opened vault buffer; <Plug> maps stay', function()
      t.start({ setup = { keymaps = false } })
      open_note(vault, 'people/acme.md', 7) -- attached: annotated
      assert.are.equal("v:lua.require'kith.complete'.omnifunc", t.exec_lua('return vim.bo.omnifunc'), 'kith attached')
      local m = maparg('\\kg')
      assert.is_true(next(m) == nil or m.buffer ~= 1, 'no buffer-local \\kg: ' .. t.dump(m))
      assert.are.equal('', t.exec_lua([[return vim.fn.maparg('\\kg', 'n')]]), 'no \\kg map at all')
      local plug = maparg('<Plug>(kith-log-give)')
      assert.are.equal('<Plug>(kith-log-give)', plug.lhs, '<Plug> map still exists')
    end)
  end)
end)
