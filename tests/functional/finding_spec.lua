-- Finding people in a real Neovim (SPEC §5 "Finding people", "Completion", the statusline,
-- annotations.position; issue 11): :Kith contacts, :Kith history, :Kith new, gd and K on a
-- handle or a wiki link, the statusline function, omnifunc after `[[`, and the pickers'
-- fallback vim.ui.select. The real picker and completion plugins are in pickers_spec.lua.
--
-- Each test starts its own `nvim --embed --headless` on a private copy of examples/vault, today
-- pinned to 2026-11-26. What is expected comes from `kith balances --json` and `kith history
-- --json` on that copy, never hard-coded.

local t = require('support')

local OPEN_TIMEOUT = 3000
local KEY_TIMEOUT = 2000

-- Helpers -----------------------------------------------------------------------------------

--- Opens a note and waits until kith has annotated line `line` of it.
local function open_note(vault, rel, line)
  local buf = t.edit(vault .. '/' .. rel)
  t.wait_for(function()
    return t.annotations(buf)[line]
  end, OPEN_TIMEOUT, rel .. ': annotation on line ' .. line, function()
    return t.dump(t.annotations(buf))
  end)
  return buf
end

--- Makes vim.ui.select (the pickers' fallback: no picker plugin on 0.7.2) record what it is
--- asked and choose the first entry whose label contains `choose` (nil: cancel).
local function record_select(choose)
  t.exec_lua([[
    local choose = ...
    _G.kith_test = { selects = {}, choose = choose ~= vim.NIL and choose or nil }
    vim.ui.select = function(items, opts, on_choice)
      local rec = { prompt = opts.prompt, labels = {} }
      for i, it in ipairs(items) do
        rec.labels[i] = opts.format_item and opts.format_item(it) or tostring(it)
      end
      table.insert(_G.kith_test.selects, rec)
      for i, label in ipairs(rec.labels) do
        if _G.kith_test.choose and label:find(_G.kith_test.choose, 1, true) then
          return on_choice(items[i], i)
        end
      end
      on_choice(nil, nil)
    end
  ]], choose)
end

local function selects()
  return t.exec_lua('return _G.kith_test.selects')
end

--- {file (absolute), line, col (0-based)} of the current window.
local function where()
  return t.exec_lua([[
    local c = vim.api.nvim_win_get_cursor(0)
    return { file = vim.api.nvim_buf_get_name(0), line = c[1], col = c[2] }
  ]])
end

local function set_cursor(line, col)
  t.request('nvim_win_set_cursor', 0, { line, col or 0 })
end

--- Puts the cursor on the first occurrence of `text` in line `line` (plus `offset` bytes).
local function cursor_on(line, text, offset)
  local l = t.buf_lines()[line]
  local col = assert(l:find(text, 1, true), ('line %d has no %q: %s'):format(line, text, l))
  set_cursor(line, col - 1 + (offset or 0))
end

--- `kith history HANDLE --json` on the vault, decoded.
local function cli_history(vault, handle)
  local out = t.capture(('%s history %s --json --today %s %s 2>/dev/null'):format(t.shell_quote(t.KITH_BIN),
    t.shell_quote(handle), t.TODAY, t.shell_quote(vault)))
  return t.json_decode(out)
end

local function by_handle(vault)
  return t.contacts(vault)
end

-- The agenda's order of groups, for the contacts' statuses.
local STATUS_ORDER = { overdue = 1, dormant = 2, new = 3, owe = 4, ['let-them-help'] = 5, ok = 6 }

local function float_lines()
  return t.exec_lua([[
    local win = require('kith.hover').window()
    if not win then return nil end
    return vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false)
  ]])
end

-- Specs -------------------------------------------------------------------------------------

describe('finding people', function()
  local vault

  before_each(function()
    vault = t.copy_vault()
  end)

  after_each(function()
    t.teardown()
  end)

  describe(':Kith contacts', function()
    it('lists every contact with its annotation, status first, and jumps to the one chosen', function()
      t.start()
      open_note(vault, 'people/acme.md', 7)
      set_cursor(3)
      record_select('@dan ')
      t.command('Kith contacts')
      local asked = selects()
      assert.are.equal(1, #asked, 'the picker (vim.ui.select here) was asked once')
      local contacts = t.balances(vault).contacts
      table.sort(contacts, function(a, b)
        if STATUS_ORDER[a.status] ~= STATUS_ORDER[b.status] then
          return STATUS_ORDER[a.status] < STATUS_ORDER[b.status]
        end
        return a.handle < b.handle
      end)
      assert.are.equal(#contacts, #asked[1].labels, 'one entry per contact: ' .. t.dump(asked[1].labels))
      for i, c in ipairs(contacts) do
        local label = asked[1].labels[i]
        assert.is_truthy(label:find('@' .. c.handle .. ' ', 1, true), ('entry %d is @%s: %s'):format(i, c.handle, label))
        assert.is_truthy(label:find(c.name, 1, true), 'the entry names ' .. c.name .. ': ' .. label)
        assert.is_truthy(label:find(t.annotation_for(c), 1, true), 'the entry shows the annotation: ' .. label)
      end
      -- Dan is declared at people/dan.md:1: the cursor is there, and <C-o> comes back.
      local dan = by_handle(vault).dan
      local at = where()
      assert.are.equal(vault .. '/' .. dan.declared[1].path, at.file)
      assert.are.equal(dan.declared[1].line, at.line)
      t.request('nvim_input', '<C-o>')
      t.wait_for(function()
        return where().file == vault .. '/people/acme.md' and where().line == 3
      end, KEY_TIMEOUT, '<C-o> back to acme.md:3', function()
        return t.dump(where())
      end)
    end)

    it('cancelling the picker stays where it was', function()
      t.start()
      open_note(vault, 'people/acme.md', 7)
      set_cursor(3)
      record_select(nil)
      t.command('Kith contacts')
      assert.are.equal(1, #selects())
      assert.are.same({ file = vault .. '/people/acme.md', line = 3, col = 0 }, where())
    end)

    it('falls back to vim.ui.select, saying so once, when the picker named is not installed', function()
      t.start({ setup = { picker = 'telescope' } })
      open_note(vault, 'people/acme.md', 7)
      record_select('@bob ')
      local ok, seen = t.run_command('Kith contacts')
      assert.is_true(ok, seen)
      assert.is_truthy(seen:find('kith: the picker telescope is not installed; using vim.ui.select', 1, true), seen)
      assert.are.equal(1, #selects())
      assert.are.equal(vault .. '/' .. by_handle(vault).bob.declared[1].path, where().file)
      t.command('checkhealth kith')
      local health = table.concat(t.buf_lines(0), '\n')
      assert.is_truthy(health:find('picker: select (picker = telescope)', 1, true), health)
    end)

    it('setup() refuses an unknown picker', function()
      t.start({ setup = false })
      local ok, err = t.try_request('nvim_exec_lua', 'require("kith").setup({ picker = "fzf" })', {})
      assert.is_false(ok)
      assert.is_truthy(err:find('kith: picker', 1, true), err)
    end)
  end)

  describe(':Kith history', function()
    it('@handle: kith history in the picker, newest first, and jumps to the item chosen', function()
      t.start()
      open_note(vault, 'people/acme.md', 7)
      local want = cli_history(vault, 'alice')
      record_select('2026-09-02')
      t.command('Kith history @alice')
      local asked = selects()[1]
      assert.is_truthy(asked.prompt:find('@alice', 1, true), asked.prompt)
      assert.are.equal(#want.items, #asked.labels, t.dump(asked.labels))
      for i, it in ipairs(want.items) do
        local label = asked.labels[i]
        local date = it.date ~= t.json_null and it.date or 'undated'
        assert.is_truthy(label:find(date, 1, true), ('entry %d is dated %s: %s'):format(i, date, label))
        assert.is_truthy(label:find(it.text, 1, true), ('entry %d shows %q: %s'):format(i, it.text, label))
        assert.are.equal(it.planned, label:sub(1, 4) == '[ ] ', 'a follow-up shows its box: ' .. label)
      end
      local chosen
      for _, it in ipairs(want.items) do
        if it.date == '2026-09-02' then
          chosen = it
        end
      end
      assert.are.same({ file = vault .. '/' .. chosen.path, line = chosen.line, col = 0 }, where())
    end)

    it('without a handle: the contact section at the cursor; `quickfix` fills the quickfix list', function()
      t.start()
      open_note(vault, 'people/acme.md', 7)
      set_cursor(12) -- in Bob's section
      t.command('Kith history quickfix')
      local want = cli_history(vault, 'bob')
      local qf = t.qflist()
      assert.are.equal(#want.items, #qf, t.dump(qf))
      for i, it in ipairs(want.items) do
        assert.are.equal(vault .. '/' .. it.path, qf[i].file)
        assert.are.equal(it.line, qf[i].lnum)
        assert.is_truthy(qf[i].text:find(it.text, 1, true), qf[i].text)
      end
      assert.are.equal('kith history @bob (Bob Martins)', t.exec_lua('return vim.fn.getqflist({ title = 1 }).title'))
    end)

    it('without a handle: the handle under the cursor, or the contact a wiki link names', function()
      t.start()
      open_note(vault, 'people/acme.md', 7)
      cursor_on(30, '@carol', 2)
      t.command('Kith history quickfix')
      assert.are.equal(#cli_history(vault, 'carol').items, #t.qflist())
      t.command('wincmd p') -- from the quickfix window back to the note
      t.request('nvim_buf_set_lines', 0, 2, 3, false, { 'See [[Alice Chen|Alice]] for the rubric.' })
      cursor_on(3, 'Chen')
      t.command('Kith history quickfix')
      assert.are.equal('kith history @alice (Alice Chen)', t.exec_lua('return vim.fn.getqflist({ title = 1 }).title'))
      assert.are.equal(#cli_history(vault, 'alice').items, #t.qflist())
      -- a link by a contact note's file name (people/alice.md), as the ledger resolves it
      t.command('wincmd p')
      t.request('nvim_buf_set_lines', 0, 2, 3, false, { 'Her notes: [[people/alice#Log|notes]].' })
      cursor_on(3, 'alice')
      t.command('Kith history quickfix')
      assert.are.equal('kith history @alice (Alice Chen)', t.exec_lua('return vim.fn.getqflist({ title = 1 }).title'))
      -- a name as an argument, and a handle without its @
      t.command('wincmd p')
      t.command('Kith history Carol Diaz quickfix')
      assert.are.equal('kith history @carol (Carol Diaz)', t.exec_lua('return vim.fn.getqflist({ title = 1 }).title'))
      t.command('wincmd p')
      t.command('Kith history dan quickfix')
      assert.are.equal('kith history @dan (Dan Okafor)', t.exec_lua('return vim.fn.getqflist({ title = 1 }).title'))
    end)

    it('says why when there is no contact', function()
      t.start()
      open_note(vault, 'people/acme.md', 7)
      set_cursor(3)
      local _, seen = t.run_command('Kith history')
      assert.is_truthy(seen:find('kith: no contact at the cursor', 1, true), seen)
      _, seen = t.run_command('Kith history @nobody')
      assert.is_truthy(seen:find('kith: no contact @nobody in this vault', 1, true), seen)
      _, seen = t.run_command('Kith history [[Nobody Known]]')
      assert.is_truthy(seen:find('kith: [[Nobody Known]] names no contact', 1, true), seen)
      assert.are.equal(0, #t.qflist(), 'no list')
    end)
  end)

  describe(':Kith agenda pick', function()
    it('shows the agenda in the picker, in kith agenda order, and jumps to the item chosen', function()
      t.start()
      open_note(vault, 'people/acme.md', 7)
      local agenda = t.json_decode(t.capture(('%s agenda --json --today %s %s 2>/dev/null'):format(
        t.shell_quote(t.KITH_BIN), t.TODAY, t.shell_quote(vault))))
      record_select('reach-out @alice')
      t.command('Kith agenda pick')
      local asked = selects()[1]
      assert.are.equal(#agenda.items, #asked.labels, t.dump(asked.labels))
      for i, it in ipairs(agenda.items) do
        assert.is_truthy(asked.labels[i]:find(it.group .. ' @' .. it.handle, 1, true), asked.labels[i])
      end
      local alice = by_handle(vault).alice
      assert.are.same({ file = vault .. '/' .. alice.declared[1].path, line = alice.declared[1].line, col = 0 }, where())
      assert.are.equal(0, t.exec_lua("return #vim.tbl_filter(function(w) return vim.fn.getwininfo(w)[1].quickfix == 1 end, vim.api.nvim_list_wins())"),
        'no quickfix window')
    end)
  end)

  describe('gd', function()
    it('on a handle jumps to its first declaration, with the jumplist', function()
      t.start()
      open_note(vault, 'people/alice.md', 8)
      cursor_on(14, '@dan', 1)
      t.request('nvim_input', 'gd')
      local dan = by_handle(vault).dan
      t.wait_for(function()
        return where().file == vault .. '/' .. dan.declared[1].path
      end, KEY_TIMEOUT, 'gd on @dan opens ' .. dan.declared[1].path, function()
        return t.dump(where())
      end)
      assert.are.equal(dan.declared[1].line, where().line)
      t.request('nvim_input', '<C-o>')
      t.wait_for(function()
        return where().file == vault .. '/people/alice.md' and where().line == 14
      end, KEY_TIMEOUT, '<C-o> back to alice.md:14', function()
        return t.dump(where())
      end)
    end)

    it('on a wiki link naming a contact jumps to it; on anything else does what gd did before', function()
      t.start()
      open_note(vault, 'people/acme.md', 7)
      t.request('nvim_buf_set_lines', 0, 28, 29, false, { 'Platform [[Dan Okafor]] and [[Porto]] team.' })
      cursor_on(29, 'Okafor')
      t.request('nvim_input', 'gd')
      local dan = by_handle(vault).dan
      t.wait_for(function()
        return where().file == vault .. '/' .. dan.declared[1].path
      end, KEY_TIMEOUT, 'gd on [[Dan Okafor]]', function()
        return t.dump(where())
      end)
      assert.are.equal(dan.declared[1].line, where().line)
      t.request('nvim_input', '<C-o>')
      t.wait_for(function()
        return where().file == vault .. '/people/acme.md' and where().line == 29
      end, KEY_TIMEOUT, 'back on line 29')
      -- A plain word, and a link that names no contact ([[Porto]]): the built-in gd, which
      -- finds the first "Platform" / "Porto" of the note, on line 3.
      for _, word in ipairs({ 'Platform', 'Porto' }) do
        cursor_on(29, word, 1)
        local col = t.buf_lines()[3]:find(word, 1, true) - 1
        t.request('nvim_input', 'gd')
        t.wait_for(function()
          return where().line == 3 and where().col == col
        end, KEY_TIMEOUT, 'gd on ' .. word .. ' acts as the built-in gd', function()
          return t.dump(where())
        end)
        assert.are.equal(vault .. '/people/acme.md', where().file)
      end
    end)

    it('elsewhere calls the map gd had before kith mapped it', function()
      t.start()
      t.command('nnoremap gd <Cmd>let g:before_gd = get(g:, "before_gd", 0) + 1<CR>')
      t.command('nnoremap K <Cmd>let g:before_k = get(g:, "before_k", 0) + 1<CR>')
      open_note(vault, 'people/acme.md', 7)
      set_cursor(3)
      t.request('nvim_input', 'gd')
      t.wait_for(function()
        return t.exec_lua('return vim.g.before_gd') == 1
      end, KEY_TIMEOUT, 'the earlier gd map ran')
      t.request('nvim_input', 'K')
      t.wait_for(function()
        return t.exec_lua('return vim.g.before_k') == 1
      end, KEY_TIMEOUT, 'the earlier K map ran')
      -- and on a handle, kith's
      cursor_on(5, '@frank', 1)
      t.request('nvim_input', 'gd')
      t.wait_for(function()
        return where().line == by_handle(vault).frank.declared[1].line
      end, KEY_TIMEOUT, 'gd on @frank')
      assert.are.equal(1, t.exec_lua('return vim.g.before_gd'), 'the earlier map did not run on a handle')
    end)
  end)

  describe('K', function()
    it('shows the annotation, follow-ups and last 5 interactions; a second K focuses it; moving closes it', function()
      t.start()
      open_note(vault, 'people/acme.md', 7)
      cursor_on(30, '@carol', 1)
      t.request('nvim_input', 'K')
      local lines = t.wait_for(float_lines, KEY_TIMEOUT, 'the hover float')
      local carol = by_handle(vault).carol
      assert.are.equal(carol.name .. ' @carol', lines[1])
      assert.are.equal(t.annotation_for(carol), lines[2])
      local text = table.concat(lines, '\n')
      for _, f in ipairs(carol.followups) do
        assert.is_truthy(text:find(f.text, 1, true), 'follow-up ' .. f.text .. ' in ' .. text)
      end
      local counted = {}
      for _, it in ipairs(cli_history(vault, 'carol').items) do
        if not it.planned then
          table.insert(counted, it)
        end
      end
      local shown = 0
      for i, it in ipairs(counted) do
        local line = '  ' .. it.date .. '  ' .. it.text
        if i <= 5 then
          assert.is_truthy(text:find(line, 1, true), ('interaction %d %q in %s'):format(i, line, text))
          shown = shown + 1
        else
          assert.is_falsy(text:find(line, 1, true), 'only the last 5: ' .. line)
        end
      end
      assert.is_truthy(text:find('Last ' .. (shown == 1 and 'interaction' or (shown .. ' interactions')), 1, true), text)
      local src = t.exec_lua('return vim.api.nvim_get_current_win()')
      t.request('nvim_input', 'K')
      t.wait_for(function()
        return t.exec_lua("return vim.api.nvim_get_current_win() == require('kith.hover').window()")
      end, KEY_TIMEOUT, 'the second K focuses the float')
      t.request('nvim_input', 'q')
      t.wait_for(function()
        return t.exec_lua("return require('kith.hover').window() == nil")
      end, KEY_TIMEOUT, 'q closes the float')
      assert.are.equal(src, t.exec_lua('return vim.api.nvim_get_current_win()'))
      t.request('nvim_input', 'K')
      t.wait_for(float_lines, KEY_TIMEOUT, 'the float again')
      t.request('nvim_input', 'k')
      t.wait_for(function()
        return t.exec_lua("return require('kith.hover').window() == nil")
      end, KEY_TIMEOUT, 'moving the cursor closes it')
    end)

    it('elsewhere runs keywordprg as the built-in K does', function()
      t.start()
      t.command('command! -nargs=* KithTestK let g:k_word = <q-args>')
      open_note(vault, 'people/acme.md', 7)
      t.command('setlocal keywordprg=:KithTestK')
      cursor_on(3, 'Porto')
      t.request('nvim_input', 'K')
      t.wait_for(function()
        return t.exec_lua('return vim.g.k_word') == 'Porto'
      end, KEY_TIMEOUT, 'keywordprg ran on Porto', function()
        return tostring(t.exec_lua('return vim.g.k_word'))
      end)
      assert.are.equal(t.json_null, float_lines(), 'no float')
    end)
  end)

  describe(':Kith new', function()
    it('opens a new, unwritten contact note from the contact template; writing makes its folder', function()
      t.start({ setup = { people_dir = 'contacts' } })
      open_note(vault, 'people/acme.md', 7)
      t.command('Kith new @Zed.Ro Zed Roe')
      local path = vault .. '/contacts/zed.ro.md'
      assert.are.equal(path, where().file)
      local lines = t.buf_lines()
      assert.are.same({ '---', 'handle: zed.ro', 'name: Zed Roe', '---', '' }, { unpack(lines, 1, 5) })
      local template = t.capture(('%s template contact --handle zed.ro --today %s %s'):format(
        t.shell_quote(t.KITH_BIN), t.TODAY, t.shell_quote(vault)))
      template = template:gsub('zed%.ro @zed%.ro', 'Zed Roe @zed.ro')
      assert.are.equal(template, table.concat({ unpack(lines, 6) }, '\n') .. '\n')
      assert.is_true(t.exec_lua('return vim.bo.modified'), 'not written yet')
      assert.is_nil(t.read_file(path), 'no file yet')
      assert.are.equal(0, t.exec_lua('return vim.fn.undotree().seq_last'), 'nothing to undo')
      -- kith follows it: its heading declares a new contact
      t.wait_for(function()
        return t.annotations()[6] == 'give first'
      end, OPEN_TIMEOUT, 'the new contact annotated', function()
        return t.dump(t.annotations())
      end)
      t.command('write')
      assert.are.equal(table.concat(lines, '\n') .. '\n', t.read_file(path))
      assert.is_truthy(by_handle(vault)['zed.ro'], 'kith balances knows @zed.ro')
    end)

    it('opens an existing note as it is, and refuses what is no handle', function()
      t.start()
      open_note(vault, 'people/acme.md', 7)
      local before = t.read_file(vault .. '/people/dan.md')
      t.command('Kith new dan')
      assert.are.equal(vault .. '/people/dan.md', where().file)
      assert.are.equal(before, table.concat(t.buf_lines(), '\n') .. '\n')
      assert.is_false(t.exec_lua('return vim.bo.modified'))
      local _, seen = t.run_command('Kith new @-x')
      assert.is_truthy(seen:find('kith: @-x is not a handle', 1, true), seen)
      assert.are.equal(vault .. '/people/dan.md', where().file, 'nothing opened')
    end)
  end)

  describe('the statusline', function()
    it("shows the annotation of the contact at the cursor, else the vault's counts", function()
      t.start()
      local buf = open_note(vault, 'people/acme.md', 7)
      local contacts = t.balances(vault).contacts
      local overdue, reach = 0, 0
      for _, c in ipairs(contacts) do
        for _, f in ipairs(c.followups) do
          overdue = overdue + (f.overdue and 1 or 0)
        end
        reach = reach + (c.status == 'dormant' and 1 or 0)
      end
      local counts = ('kith: %d overdue · %d to reach out'):format(overdue, reach)
      local status = function()
        return t.exec_lua("return require('kith').status()")
      end
      set_cursor(3)
      t.wait_for(function()
        return status() == counts
      end, KEY_TIMEOUT, counts, status)
      set_cursor(17) -- Bob's section (### Notes inside it)
      local bob = by_handle(vault).bob
      assert.are.equal('@bob ' .. t.annotation_for(bob), status())
      set_cursor(24)
      assert.are.equal('@frank ' .. t.annotation_for(by_handle(vault).frank), status())
      -- a handle outside any section: asked once, then shown
      cursor_on(30, '@carol', 1)
      t.wait_for(function()
        return status() == '@carol ' .. t.annotation_for(by_handle(vault).carol)
      end, KEY_TIMEOUT, 'carol at the cursor', status)
      -- a wiki link naming a contact, outside any section
      t.request('nvim_buf_set_lines', buf, 1, 2, false, { 'With [[Dan Okafor]] in Berlin.' })
      cursor_on(2, 'Okafor')
      t.wait_for(function()
        return status() == '@dan ' .. t.annotation_for(by_handle(vault).dan)
      end, KEY_TIMEOUT, 'dan at the cursor', status)
      t.request('nvim_buf_set_lines', buf, 1, 2, false, { '' })
      -- an overdue follow-up typed in counts at once (before it is written)
      set_cursor(3)
      t.request('nvim_buf_set_lines', buf, 3, 3, false, { '- [ ] 2026-11-20 #gave @erin the intro' })
      local more = ('kith: %d overdue · %d to reach out'):format(overdue + 1, reach)
      t.wait_for(function()
        return status() == more
      end, KEY_TIMEOUT, more, status)
      assert.are.equal('', t.exec_lua([[
        vim.cmd('enew')
        return require('kith').status()
      ]]), 'outside a vault: nothing')
    end)
  end)

  describe('annotations.position', function()
    it("'right_align' puts the annotations at the window's right edge", function()
      t.start({ setup = { annotations = { position = 'right_align' } } })
      open_note(vault, 'people/acme.md', 7)
      assert.is_true(#t.extmarks() >= 2, t.dump(t.extmarks()))
      for _, m in ipairs(t.extmarks()) do
        assert.are.equal('right_align', m.pos)
      end
      local ok, err = t.try_request('nvim_exec_lua', 'require("kith").setup({ annotations = { position = "left" } })', {})
      assert.is_false(ok)
      assert.is_truthy(err:find("kith: annotations.position: expected 'eol' or 'right_align'", 1, true), err)
    end)
  end)

  describe('completion', function()
    it('omnifunc completes names after [[ and handles after @', function()
      t.start()
      open_note(vault, 'people/acme.md', 7)
      local function omni(text)
        return t.exec_lua([[
          vim.api.nvim_buf_set_lines(0, 2, 3, false, { ... })
          vim.api.nvim_win_set_cursor(0, { 3, #(...) })
          local f = require('kith.complete').omnifunc
          local start = f(1, '')
          local base = (...):sub(start + 1)
          return { start = start, items = f(0, base) }
        ]], text)
      end
      local got = omni('see [[al')
      assert.are.equal(6, got.start)
      assert.are.same({ 'Alice Chen]]' }, vim.tbl_map(function(i)
        return i.word
      end, got.items))
      got = omni('with @b')
      assert.are.equal(5, got.start)
      assert.are.same({ '@bob' }, vim.tbl_map(function(i)
        return i.word
      end, got.items))
      assert.are.equal(-3, omni('no trigger here').start)
    end)
  end)
end)
