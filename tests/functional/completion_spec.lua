-- Functional tests of kith's completion in a real Neovim (SPEC §4-5, doc/kith.txt): of the
-- :Kith command line (subcommands, template names, log kinds, vault handles) and of @handles
-- in a vault buffer (omnifunc, i_CTRL-X_CTRL-O).
--
-- Run from the repository root (after building build/kith), this file alone:
--   KITH_BIN=$PWD/build/kith bash tests/functional/run.sh tests/functional/completion_spec.lua
-- or the tests whose full name matches a Lua pattern (here all of this file):
--   KITH_BIN=$PWD/build/kith bash tests/functional/run.sh --filter=':Kith commands completion' tests/functional
-- (--filter=':Kith commands' runs the tests of all four :Kith commands specs: template_spec.lua,
-- log_spec.lua, check_spec.lua and completion_spec.lua.)
-- Each test starts its own `nvim --embed --headless` (today pinned to 2026-11-26) on a private
-- copy of examples/vault. Expected handles come from `kith balances --json` on that copy,
-- never hard-coded.

local t = require('support')
local c = require('commands')

local TODAY = t.TODAY

local contains = c.contains

local open_note = t.open_note
local type_keys, set_cursor = t.type_keys, t.set_cursor

-- Specs -------------------------------------------------------------------------------------

describe(':Kith commands', function()
  local vault

  before_each(function()
    vault = t.copy_vault()
  end)

  after_each(function()
    t.teardown()
  end)

  -- 8 ------------------------------------------------------------------------------------
  describe('completion', function()
    it('completes subcommands, template names, log kinds and vault handles', function()
      t.start()
      local data = t.balances(vault)
      open_note(vault, 'people/acme.md', 7)
      local function complete(line)
        return t.exec_lua([[return vim.fn.getcompletion(..., 'cmdline')]], line)
      end
      local subs = complete('Kith ')
      for _, s in ipairs({ 'balances', 'template', 'reflect', 'log', 'review', 'check', 'restart' }) do
        assert.is_true(contains(subs, s), s .. ' in ' .. t.dump(subs))
      end
      assert.are.same({ 'reflect', 'report', 'restart', 'review' }, complete('Kith re'))

      local names = complete('Kith template ')
      for _, s in ipairs({ 'reflection', 'contact', 'meeting', 'review' }) do
        assert.is_true(contains(names, s), s .. ' in ' .. t.dump(names))
      end
      assert.are.same({ 'give', 'receive', 'met', 'ask' }, complete('Kith log '))
      assert.are.same({ 'met' }, complete('Kith log m'))

      local handles = complete('Kith log give @')
      for _, c in ipairs(data.contacts) do
        assert.is_true(contains(handles, '@' .. c.handle), '@' .. c.handle .. ' in ' .. t.dump(handles))
      end
      assert.are.same({ '@alice' }, complete('Kith log give @al'))
      assert.is_true(contains(complete('Kith template contact @'), '@carol'), 'handles after template contact')
    end)

    it('omnifunc completes @ca to @carol in a vault buffer', function()
      t.start()
      -- As a user would: the note is open and annotated (the vault indexed) first. (In the
      -- first ~50 ms after opening, while the host still indexes, omnifunc and :Kith
      -- completion return nothing: they do not wait for the index as the commands do.) The
      -- typed line lies in carol's own section and "@ca" does not lead it (SPEC §1 v2: a
      -- leading handle would be the counterparty), so "@ca" names no new contact.
      local buf = open_note(vault, 'people/carol.md', 1)
      assert.is_truthy(t.exec_lua('return vim.bo.omnifunc'):find('kith', 1, true), 'kith omnifunc')
      local n = #t.buf_lines(buf)
      t.request('nvim_buf_set_lines', buf, n, n, false, { '- ' .. TODAY .. ' #met with @ca today' })
      local col = #('- ' .. TODAY .. ' #met with @ca') -- 0-based: the space after "@ca"
      set_cursor(n + 1, col)
      local start = t.exec_lua([[return vim.api.nvim_eval(vim.bo.omnifunc .. "(1, '')")]])
      assert.are.equal(#('- ' .. TODAY .. ' #met with '), start, 'findstart: the 0-based column of @')
      local items = t.exec_lua([[return require('kith.complete').omnifunc(0, '@ca')]])
      local words = {}
      for _, it in ipairs(items) do
        table.insert(words, type(it) == 'table' and it.word or it)
      end
      assert.are.same({ '@carol' }, words)
      -- The same through the v:lua funcref the buffer uses.
      local via = t.exec_lua([[return vim.api.nvim_eval(vim.bo.omnifunc .. "(0, '@ca')")]])
      assert.are.equal('@carol', via[1] and via[1].word)
    end)

    it('i_CTRL-X_CTRL-O after @ca completes to @carol in the buffer', function()
      t.start()
      local buf = open_note(vault, 'people/carol.md', 1)
      local n = #t.buf_lines(buf)
      set_cursor(n)
      -- ("with": a leading "@ca" would name a contact of its own while typing, SPEC §1 v2.)
      type_keys('o- ' .. TODAY .. ' #met with @ca<C-x><C-o><Esc>', function()
        return t.buf_lines(buf)[n + 1] == '- ' .. TODAY .. ' #met with @carol'
      end, 'the completed line', function()
        return t.buf_lines(buf)[n + 1]
      end)
    end)
  end)
end)
