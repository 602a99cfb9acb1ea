-- Functional tests of kith in a real Neovim (SPEC §5): what a user sees in the editor.
--
-- Run from the repository root (after building build/kith):
--   KITH_BIN=$PWD/build/kith bash tests/functional/run.sh   (busted inside `nvim --headless`)
-- Each test starts its own `nvim --embed --headless` on a private copy of examples/vault.
-- Expected annotations are never hard-coded: they come from `kith balances --json` on the
-- vault (or on a copy where the edited buffer's text has been saved), formatted as SPEC §5
-- says (support.annotation_for).

local t = require('support')

local EDIT_TIMEOUT = 1000 -- ms: an edit shows in the annotations (SPEC: 100 ms after typing)
local OPEN_TIMEOUT = 3000 -- ms: first annotations after opening a note (vault indexing)
local DISK_TIMEOUT = 2000 -- ms: a change on disk shows

local function keys_sorted(map)
  local out = {}
  for k in pairs(map) do
    table.insert(out, k)
  end
  table.sort(out)
  return out
end

local function same_map(a, b)
  for k, v in pairs(a) do
    if b[k] ~= v then
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

--- Waits until buffer `buf`'s annotations are exactly `expected` ({line -> text}).
local function wait_annotations(buf, expected, timeout, what)
  return t.wait_for(function()
    return same_map(t.annotations(buf), expected)
  end, timeout or EDIT_TIMEOUT, (what or 'annotations') .. ' = ' .. t.dump(expected), function()
    return t.dump(t.annotations(buf))
  end)
end

--- Waits until line `line` of `buf` shows `expected`.
local function wait_annotation(buf, line, expected, timeout, what)
  return t.wait_for(function()
    return t.annotations(buf)[line] == expected
  end, timeout or EDIT_TIMEOUT, ('%s: line %d shows %q'):format(what or 'annotation', line, expected), function()
    return t.dump(t.annotations(buf))
  end)
end

local function buf_lines(buf)
  return t.request('nvim_buf_get_lines', buf, 0, -1, false)
end

--- The balances as if every given buffer's text were saved: a copy of `vault` with
--- {rel_path = lines} written over it.
local function vault_with(vault, files)
  local copy = t.copy_vault(vault)
  for rel, lines in pairs(files) do
    t.write_file(copy .. '/' .. rel, table.concat(lines, '\n') .. '\n')
  end
  return copy
end

--- Heading lines (1-based) of a Markdown file, outside fenced code: ATX and setext.
local function heading_lines(path)
  local lines = t.lines_of(path)
  local out, fence = {}, nil
  for i, l in ipairs(lines) do
    local f = l:match('^%s*(```+)') or l:match('^%s*(~~~+)')
    if f then
      fence = not fence and f or nil
    elseif not fence then
      if l:match('^#+%s') or l:match('^#+$') then
        table.insert(out, i)
      elseif i > 1 and (l:match('^=+%s*$') or l:match('^%-%-+%s*$')) and lines[i - 1]:match('%S')
        and not lines[i - 1]:match('^%s*[-*+]%s') then
        table.insert(out, i - 1)
      end
    end
  end
  return out
end

--- A copy of a list of records without field `key`.
local function without(list, key)
  local out = {}
  for i, r in ipairs(list) do
    out[i] = {}
    for k, v in pairs(r) do
      if k ~= key then
        out[i][k] = v
      end
    end
  end
  return out
end

local gave_got = t.gave_got

--- Lines of :messages that kith wrote.
local function kith_messages()
  local out = {}
  for _, l in ipairs(t.messages()) do
    if l:match('kith') then
      table.insert(out, l)
    end
  end
  return out
end

describe('kith in Neovim', function()
  local vault

  before_each(function()
    vault = t.copy_vault()
  end)

  after_each(function()
    t.teardown()
  end)

  -- 1 ------------------------------------------------------------------------------------
  it('annotates every contact heading, and only those, at end of line with the SPEC text', function()
    t.start()
    local expected = t.expected_annotations(vault)
    -- Sanity of the oracle: acme.md declares bob and frank.
    assert.is_not_nil(expected['people/acme.md'], 'balances JSON declares nothing in people/acme.md')

    local buf = t.edit(vault .. '/people/acme.md')
    wait_annotations(buf, expected['people/acme.md'], OPEN_TIMEOUT, 'people/acme.md annotations')

    local files = {}
    for rel in pairs(expected) do
      if rel:match('^people/') then
        table.insert(files, rel)
      end
    end
    table.sort(files)
    assert.is_true(#files >= 5, 'expected contacts declared in several people/*.md files')

    for _, rel in ipairs(files) do
      local b = t.edit(vault .. '/' .. rel)
      local want = expected[rel]
      wait_annotations(b, want, OPEN_TIMEOUT, rel .. ' annotations')
      local marks = t.extmarks(b)
      assert.are.equal(#keys_sorted(want), #marks, rel .. ': one extmark per contact heading')
      for _, m in ipairs(marks) do
        assert.are.equal('eol', m.pos, ('%s:%d: virt_text_pos'):format(rel, m.line))
      end
      -- Headings that declare no contact carry nothing.
      local got = t.annotations(b)
      for _, line in ipairs(heading_lines(vault .. '/' .. rel)) do
        if not want[line] then
          assert.is_nil(got[line], ('%s:%d is not a contact heading but shows %q'):format(rel, line, tostring(got[line])))
        end
      end
    end

    -- Notes without contact headings (a contact heading inside a code fence in index.md,
    -- headings without handles in daily notes and a .markdown meeting note) get none.
    for _, rel in ipairs({ 'index.md', 'daily/2026-11-03.md', 'meetings/2026-11-20-grace.markdown' }) do
      local b = t.edit(vault .. '/' .. rel)
      assert.are.equal('markdown', t.exec_lua('return vim.bo.filetype'), rel .. ' is Markdown')
      t.sleep(300)
      assert.are.same({}, t.annotations(b), rel .. ' has no contact heading')
    end
  end)

  -- 2 ------------------------------------------------------------------------------------
  it('updates a heading when an interaction is typed in its section, without saving; undo restores it', function()
    t.start()
    local path = vault .. '/people/acme.md'
    local before_disk = t.read_file(path)
    local expected = t.expected_annotations(vault)['people/acme.md']
    local buf = t.edit(path)
    wait_annotations(buf, expected, OPEN_TIMEOUT, 'acme.md annotations')
    local bob_line = 7
    local old = expected[bob_line]

    -- Type a give of weight 2 at the end of bob's first list (after line 12).
    t.request('nvim_win_set_cursor', 0, { 12, 0 })
    local item = '- 2026-11-25 #gave:2 sent him the platform sizing survey'
    t.request('nvim_input', 'o' .. item .. '<Esc>')
    t.wait_for(function()
      return buf_lines(buf)[13] == item
    end, 1000, 'the typed line in the buffer', function()
      return buf_lines(buf)[13]
    end)

    local lines = buf_lines(buf)
    local want = t.expected_annotations(vault_with(vault, { ['people/acme.md'] = lines }))['people/acme.md']
    local started = t.now_ms()
    wait_annotations(buf, want, EDIT_TIMEOUT, 'acme.md annotations after typing')
    print(('\n  [info] annotation updated %.0f ms after the keys were in the buffer'):format(t.now_ms() - started))

    local old_gave, old_got = gave_got(old)
    local new_gave, new_got = gave_got(t.annotations(buf)[bob_line])
    assert.are.equal(old_gave + 2, new_gave, '↑ grows by the weight')
    assert.are.equal(old_got, new_got, '↓ unchanged')
    assert.are.equal(expected[20], t.annotations(buf)[21], "frank's annotation moved down with his heading")

    assert.is_true(t.exec_lua('return vim.bo.modified'), 'buffer is modified')
    assert.are.equal(before_disk, t.read_file(path), 'the file on disk is not written')

    t.command('undo')
    assert.are.same(t.lines_of(path), buf_lines(buf), 'undo restores the text')
    wait_annotations(buf, expected, EDIT_TIMEOUT, 'acme.md annotations after undo')
    assert.are.equal(before_disk, t.read_file(path), 'the file on disk is not written')
  end)

  -- 3 ------------------------------------------------------------------------------------
  it('follows a buffer renamed with :saveas: the old file counts again, the new name is the buffer', function()
    t.start()
    local path = vault .. '/people/carol.md'
    local buf = t.edit(path)
    local original = t.expected_annotations(vault)['people/carol.md']
    wait_annotations(buf, original, OPEN_TIMEOUT, 'carol.md')
    local item = '- 2026-11-26 #gave:5 drafted her conference abstract with her'
    t.request('nvim_buf_set_lines', buf, -1, -1, false, { item })
    t.command('saveas ' .. vault .. '/people/carol-copy.md')
    local lines = buf_lines(buf)
    -- On disk now: carol.md unchanged, carol-copy.md = the buffer; both declare @carol.
    local want = t.expected_annotations(vault_with(vault, { ['people/carol-copy.md'] = lines }))
    wait_annotations(buf, want['people/carol-copy.md'], EDIT_TIMEOUT, 'carol-copy.md after :saveas')
    local gave = gave_got(t.annotations(buf)[1])
    local before = gave_got(original[1])
    assert.is_true(gave > before + 5, ('both files count: %s, was %s'):format(gave, before))
  end)

  it('an edit in one buffer updates the same contact in another open buffer (same handle, two files)', function()
    t.start()
    local expected = t.expected_annotations(vault)
    local bob = t.edit(vault .. '/people/bob.md') -- buffer B: declares @bob on line 1
    wait_annotations(bob, expected['people/bob.md'], OPEN_TIMEOUT, 'bob.md annotations')
    t.command('split')
    local acme = t.edit(vault .. '/people/acme.md') -- buffer A: declares @bob on line 7
    wait_annotations(acme, expected['people/acme.md'], OPEN_TIMEOUT, 'acme.md annotations')

    t.request('nvim_buf_set_lines', acme, 12, 12, false, { '- 2026-11-25 #gave:3 reviewed his hiring plan' })
    local want = t.expected_annotations(vault_with(vault, { ['people/acme.md'] = buf_lines(acme) }))
    assert.are_not.equal(expected['people/bob.md'][1], want['people/bob.md'][1], 'the edit changes bob')
    wait_annotation(acme, 7, want['people/acme.md'][7], EDIT_TIMEOUT, 'edited buffer acme.md')
    wait_annotation(bob, 1, want['people/bob.md'][1], EDIT_TIMEOUT, 'other buffer bob.md')
    assert.is_false(t.exec_lua('return vim.bo[...].modified', bob), 'bob.md itself is untouched')
  end)

  it('an edit in a daily note naming @carol updates carol\'s heading in another window', function()
    t.start()
    local expected = t.expected_annotations(vault)
    local carol = t.edit(vault .. '/people/carol.md')
    wait_annotations(carol, expected['people/carol.md'], OPEN_TIMEOUT, 'carol.md annotations')
    t.command('split')
    local daily = t.edit(vault .. '/daily/2026-11-24.md')
    t.request('nvim_buf_set_lines', daily, -1, -1, false, { '', '- 2026-11-25 #got:2 @carol introduced me to her team lead' })
    local want = t.expected_annotations(vault_with(vault, { ['daily/2026-11-24.md'] = buf_lines(daily) }))
    assert.are_not.equal(expected['people/carol.md'][1], want['people/carol.md'][1], 'the edit changes carol')
    wait_annotation(carol, 1, want['people/carol.md'][1], EDIT_TIMEOUT, 'carol.md')
    local _, got = gave_got(t.annotations(carol)[1])
    assert.are.equal(2, got, '↓ counts the weight 2')
  end)

  -- 4 ------------------------------------------------------------------------------------
  it('shows diagnostics for bad entries typed into a buffer, and removes them once fixed', function()
    t.start()
    -- (Not a daily note: there the file name would date "- #gave no date", SPEC §1 v2.)
    local rel = 'people/carol.md'
    local buf = t.edit(vault .. '/' .. rel)
    local n = #buf_lines(buf)
    t.request('nvim_input', 'Go<CR>- #gave no date<CR>- 2026-02-30 #gave @x<CR>- 2026-01-01 #gave:x @x<Esc>')
    t.wait_for(function()
      return #buf_lines(buf) == n + 4
    end, 1000, 'the typed lines')
    local nodate, baddate, badweight = n + 1, n + 2, n + 3 -- 0-based rows

    -- Oracle for the wording: `kith check` on the same text saved.
    local cli = {}
    for _, d in ipairs(t.check(vault_with(vault, { [rel] = buf_lines(buf) }))) do
      if d.path == rel then
        table.insert(cli, { lnum = d.line - 1, col = d.column - 1,
          severity = d.severity == 'error' and 'ERROR' or 'WARN', message = d.message })
      end
    end
    local want = {
      { lnum = nodate, col = 0, severity = 'WARN' }, -- the list marker
      { lnum = baddate, col = 2, severity = 'ERROR' }, -- the date
      { lnum = badweight, col = 13, severity = 'ERROR' }, -- the tag
    }
    assert.are.same(want, without(cli, 'message'), 'kith check agrees with SPEC §1 on the text')
    for i, w in ipairs(want) do
      w.message = cli[i].message
    end
    assert.matches('no date', want[1].message)
    assert.matches('invalid date 2026%-02%-30', want[2].message)
    assert.matches("invalid weight 'x'", want[3].message)

    local function kith_diags()
      local out = {}
      for _, d in ipairs(t.diagnostics(buf)) do
        if d.kith then
          table.insert(out, { lnum = d.lnum, col = d.col, severity = d.severity, message = d.message })
        end
      end
      return out
    end
    t.wait_for(function()
      return t.dump(kith_diags()) == t.dump(want)
    end, EDIT_TIMEOUT, 'diagnostics ' .. t.dump(want), function()
      return t.dump(kith_diags())
    end)
    -- How they show is the user's vim.diagnostic.config(): virtual text by default up to
    -- Neovim 0.10, none by default from 0.11 (Neovim turned it off), and never an underline of
    -- kith's (it would be empty, a position without extent, yet vim.diagnostic would read its
    -- marks back on every change).
    local function drawn()
      return t.exec_lua([[
        local buf = ...
        local ns = vim.api.nvim_create_namespace('kith')
        local out = { virt_text = 0, underline = 0 }
        local data = vim.diagnostic.get_namespace(ns).user_data or {}
        for key, id in pairs({ virt_text = data.virt_text_ns, underline = data.underline_ns }) do
          out[key] = #vim.api.nvim_buf_get_extmarks(buf, id, 0, -1, {})
        end
        return out
      ]], buf)
    end
    local by_default = vim.fn.has('nvim-0.11') == 1 and 0 or 3
    assert.are.same({ virt_text = by_default, underline = 0 }, drawn(), 'by default')
    if by_default == 0 then
      -- The line :help kith-diagnostics gives, for kith's namespace only.
      t.exec_lua("vim.diagnostic.config({ virtual_text = true }, vim.api.nvim_create_namespace('kith'))")
      assert.are.same({ virt_text = 3, underline = 0 }, drawn(), 'virtual text turned on for kith')
    else
      t.exec_lua('vim.diagnostic.config({ virtual_text = false })')
      assert.are.same({ virt_text = 0, underline = 0 }, drawn(), 'virtual text turned off by the user')
    end

    -- Fix the invalid date: its diagnostic goes, the others stay.
    t.request('nvim_buf_set_lines', buf, baddate, baddate + 1, false, { '- 2026-02-28 #gave @x' })
    local rest = { want[1], want[3] }
    t.wait_for(function()
      return t.dump(kith_diags()) == t.dump(rest)
    end, EDIT_TIMEOUT, 'diagnostics after fixing the date ' .. t.dump(rest), function()
      return t.dump(kith_diags())
    end)

    -- Fix the other two.
    t.request('nvim_buf_set_lines', buf, nodate, nodate + 1, false, { '- 2026-11-10 #gave no date any more @x' })
    t.request('nvim_buf_set_lines', buf, badweight, badweight + 1, false, { '- 2026-01-01 #gave:2 @x' })
    t.wait_for(function()
      return #kith_diags() == 0
    end, EDIT_TIMEOUT, 'no diagnostics once fixed', function()
      return t.dump(kith_diags())
    end)
  end)

  it('lives through a digit before U+10FFFF typed into a buffer, and warns at the first byte that is not UTF-8', function()
    t.start()
    local buf = t.edit(vault .. '/daily/2026-11-10.md')
    local n = #buf_lines(buf)
    t.wait_for(function()
      return t.host_pid() ~= nil
    end, OPEN_TIMEOUT, 'the host')
    local pid = t.host_pid()
    -- Issue #8's note ("1" U+10FFFF) crashed the grammar's scanner; then a Latin-1 byte.
    t.request('nvim_buf_set_lines', buf, n, n, false, { '1\244\143\191\191', 'Jos\233 #gave' })
    local want = { { lnum = n + 1, col = 3, severity = 'WARN', message = 'invalid UTF-8' } }
    local function kith_diags()
      local out = {}
      for _, d in ipairs(t.diagnostics(buf)) do
        if d.kith then
          table.insert(out, { lnum = d.lnum, col = d.col, severity = d.severity, message = d.message })
        end
      end
      return out
    end
    t.wait_for(function()
      return t.dump(kith_diags()) == t.dump(want)
    end, EDIT_TIMEOUT, 'diagnostics ' .. t.dump(want), function()
      return t.dump(kith_diags())
    end)
    assert.are.equal(pid, t.host_pid(), 'the host was restarted')
    assert.is_true(t.pid_alive(pid), 'the host died')
  end)

  -- 5 ------------------------------------------------------------------------------------
  it('a note changed on disk (not open) updates the annotations of open buffers', function()
    t.start()
    local expected = t.expected_annotations(vault)
    local carol = t.edit(vault .. '/people/carol.md')
    wait_annotations(carol, expected['people/carol.md'], OPEN_TIMEOUT, 'carol.md annotations')
    assert.are.equal(-1, t.bufnr(vault .. '/daily/2026-11-17.md'), 'the daily note is not open')

    t.append_file(vault .. '/daily/2026-11-17.md', '- 2026-11-25 #gave:4 @carol sent her the Acme SRE job ad\n')
    local want = t.expected_annotations(vault)['people/carol.md'][1]
    assert.are_not.equal(expected['people/carol.md'][1], want)
    wait_annotation(carol, 1, want, DISK_TIMEOUT, 'carol.md after the daily note changed on disk')
  end)

  it('a new note created on disk updates the annotations of open buffers', function()
    t.start()
    local expected = t.expected_annotations(vault)
    local carol = t.edit(vault .. '/people/carol.md')
    wait_annotations(carol, expected['people/carol.md'], OPEN_TIMEOUT, 'carol.md annotations')
    t.write_file(vault .. '/daily/2026-11-25.md', '# Wednesday 2026-11-25\n\n- 2026-11-25 #got:2 @carol referred me to her manager\n')
    local want = t.expected_annotations(vault)['people/carol.md'][1]
    assert.are_not.equal(expected['people/carol.md'][1], want)
    wait_annotation(carol, 1, want, DISK_TIMEOUT, 'carol.md after a new note appeared on disk')
  end)

  -- 6 ------------------------------------------------------------------------------------
  it('restarts a killed host once, says so once, and annotations come back and follow edits', function()
    t.start()
    local expected = t.expected_annotations(vault)
    local acme = t.edit(vault .. '/people/acme.md')
    wait_annotations(acme, expected['people/acme.md'], OPEN_TIMEOUT, 'acme.md annotations')
    assert.are.same({}, kith_messages(), 'no kith message before the kill')

    local pid = t.host_pid()
    assert.is_number(pid)
    assert.is_true(t.sh('kill -9 ' .. pid), 'kill -9 the host')
    local new_pid = t.wait_for(function()
      local p = t.host_pid()
      return p ~= nil and p ~= pid and t.pid_alive(p) and p
    end, 3000, 'a new host (pid other than ' .. pid .. ')', function()
      return tostring(t.host_pid())
    end)
    assert.is_false(t.pid_alive(pid), 'the old host is gone')

    -- Re-attached: a buffer opened now is annotated, and edits in the old one are followed.
    local carol = t.edit(vault .. '/people/carol.md')
    wait_annotations(carol, expected['people/carol.md'], OPEN_TIMEOUT, 'carol.md after the restart')
    t.request('nvim_buf_set_lines', acme, 12, 12, false, { '- 2026-11-25 #gave:5 found him two SRE candidates' })
    local want = t.expected_annotations(vault_with(vault, { ['people/acme.md'] = buf_lines(acme) }))['people/acme.md']
    wait_annotations(acme, want, EDIT_TIMEOUT, 'acme.md after an edit under the new host')

    t.sleep(300) -- a late second message would show by now
    local msgs = kith_messages()
    assert.are.equal(1, #msgs, 'exactly one kith message, got: ' .. t.dump(msgs))
    assert.matches('^kith:', msgs[1])
    assert.matches('host', msgs[1])
    assert.is_truthy(msgs[1]:match('exit') or msgs[1]:match('restart'), 'the message says the host exited/restarts: ' .. msgs[1])
    assert.are.equal(new_pid, t.host_pid(), 'no further restart')
  end)

  -- 7 ------------------------------------------------------------------------------------
  it(':Kith balances fills the quickfix list with one entry per contact at its declaring heading', function()
    t.start()
    local data = t.balances(vault)
    local acme = t.edit(vault .. '/people/acme.md')
    -- As a user would: the note is open and annotated (indexed) before the command.
    wait_annotations(acme, t.expected_annotations(vault)['people/acme.md'], OPEN_TIMEOUT, 'acme.md annotations')
    t.command('Kith balances')
    local qf = t.exec_lua([[
      local out = {}
      for _, e in ipairs(vim.fn.getqflist()) do
        local name = e.bufnr > 0 and vim.fn.fnamemodify(vim.fn.bufname(e.bufnr), ':p') or ''
        table.insert(out, { file = vim.loop.fs_realpath(name) or name, lnum = e.lnum, text = e.text })
      end
      return out
    ]])
    assert.are.equal(#data.contacts, #qf, 'one quickfix entry per contact: ' .. t.dump(qf))
    for _, c in ipairs(data.contacts) do
      local entry
      for _, e in ipairs(qf) do
        if e.text:find('@' .. c.handle .. ' ', 1, true) or e.text:find('@' .. c.handle .. '$') then
          assert.is_nil(entry, 'two entries for @' .. c.handle)
          entry = e
        end
      end
      assert.is_not_nil(entry, 'an entry for @' .. c.handle .. ' in ' .. t.dump(qf))
      local decl = c.declared[1]
      if decl then
        assert.are.equal(vault .. '/' .. decl.path, entry.file, '@' .. c.handle .. ' file')
        assert.are.equal(decl.line, entry.lnum, '@' .. c.handle .. ' line')
      end
    end
  end)

  it(':Kith check lists the diagnostics of inbox.md in the quickfix list', function()
    t.start()
    local want = {}
    for _, d in ipairs(t.check(vault)) do
      if d.path == 'inbox.md' then
        table.insert(want, { file = vault .. '/inbox.md', lnum = d.line, col = d.column,
          type = d.severity == 'error' and 'E' or 'W', text = d.message })
      end
    end
    assert.is_true(#want >= 5, 'inbox.md has diagnostics')
    local inbox_buf = t.edit(vault .. '/inbox.md')
    -- As a user would: the note is open and its diagnostics show before the command.
    t.wait_for(function()
      return #t.diagnostics(inbox_buf) == #want
    end, OPEN_TIMEOUT, #want .. ' diagnostics in inbox.md', function()
      return t.dump(t.diagnostics(inbox_buf))
    end)
    t.command('Kith check')
    local qf = t.qflist()
    local inbox = {}
    for _, e in ipairs(qf) do
      if e.file == vault .. '/inbox.md' then
        table.insert(inbox, e)
      end
    end
    assert.are.same(want, inbox)
  end)

  -- Beyond the brief: a command given with the file, `nvim +'Kith balances' note.md`.
  it(':Kith balances given right with the note (nvim +"Kith balances" note.md) waits for the index', function()
    t.start()
    local data = t.balances(vault)
    local ok, err = t.try_request('nvim_exec_lua', [[
      vim.cmd('edit ' .. vim.fn.fnameescape(...))
      vim.cmd('Kith balances')
    ]], { vault .. '/people/acme.md' })
    assert.is_true(ok, ':Kith balances right after opening the note failed: ' .. tostring(err))
    assert.are.equal(#data.contacts, #t.exec_lua('return vim.fn.getqflist()'))
  end)

  it(':Kith balances works from a non-note buffer when the cwd is the vault', function()
    t.start({ cwd = vault })
    local data = t.balances(vault)
    local ok, err = t.try_request('nvim_command', 'Kith balances')
    if not ok then
      -- Give the host every chance: try again after a pause.
      t.sleep(500)
      ok, err = t.try_request('nvim_command', 'Kith balances')
    end
    assert.is_true(ok, ':Kith balances in an empty buffer with cwd = vault failed: ' .. tostring(err))
    assert.are.equal(#data.contacts, #t.exec_lua('return vim.fn.getqflist()'))
  end)

  -- 8 ------------------------------------------------------------------------------------
  it(':checkhealth kith reports the binary, its version and the vault', function()
    t.start({ cwd = vault })
    local acme = t.edit(vault .. '/people/acme.md')
    wait_annotations(acme, t.expected_annotations(vault)['people/acme.md'], OPEN_TIMEOUT, 'acme.md annotations')
    t.command('checkhealth kith')
    local text = table.concat(t.request('nvim_buf_get_lines', 0, 0, -1, false), '\n')
    local version = t.capture(t.shell_quote(t.KITH_BIN) .. ' --version'):gsub('%s+$', '')
    assert.is_truthy(text:find(t.KITH_BIN, 1, true), 'names the binary:\n' .. text)
    assert.is_truthy(text:find(version, 1, true), 'shows `kith --version` (' .. version .. '):\n' .. text)
    assert.is_truthy(text:find('vault', 1, true) and text:find(vault, 1, true), 'names the vault:\n' .. text)
    assert.is_falsy(text:find('ERROR', 1, true), 'no error:\n' .. text)
    assert.is_falsy(text:find('traceback', 1, true), 'no stack trace:\n' .. text)
  end)

  it(':checkhealth kith names the vault of the note the user is in (cwd elsewhere)', function()
    t.start({ cwd = t.temp_dir() })
    local acme = t.edit(vault .. '/people/acme.md')
    wait_annotations(acme, t.expected_annotations(vault)['people/acme.md'], OPEN_TIMEOUT, 'acme.md annotations')
    t.command('checkhealth kith')
    local lines = t.request('nvim_buf_get_lines', 0, 0, -1, false)
    local vault_line
    for _, l in ipairs(lines) do
      if l:match('vault') and not l:match('notes, %d+ contacts') then
        vault_line = l
      end
    end
    assert.is_not_nil(vault_line, 'a vault line:\n' .. table.concat(lines, '\n'))
    assert.is_truthy(vault_line:find(vault, 1, true), 'the vault line names ' .. vault .. ':\n' .. table.concat(lines, '\n'))
  end)

  -- 9 ------------------------------------------------------------------------------------
  it('a missing binary gives one clear error naming the build command, no stack trace', function()
    t.start({ setup = { cmd = '/nonexistent/kith' } })
    t.edit(vault .. '/people/acme.md')
    t.sleep(200)
    t.edit(vault .. '/people/bob.md')
    t.sleep(200)
    local all = t.messages()
    local msgs = kith_messages()
    assert.are.equal(1, #msgs, 'one kith message: ' .. t.dump(all))
    assert.matches('^kith:', msgs[1])
    assert.is_truthy(msgs[1]:find('/nonexistent/kith', 1, true), 'names the missing path: ' .. msgs[1])
    assert.is_truthy(msgs[1]:find('make', 1, true), 'names the build command: ' .. msgs[1])
    local joined = table.concat(all, '\n')
    assert.is_falsy(joined:find('traceback', 1, true), 'no stack trace: ' .. joined)
    assert.is_falsy(joined:find('E5108', 1, true) or joined:find('Error executing', 1, true), 'no Lua error: ' .. joined)
    assert.are.same({}, t.annotations())
  end)

  -- 10 -----------------------------------------------------------------------------------
  it('setup() with a bad option raises an error starting with kith:', function()
    t.start()
    local res = t.exec_lua([[
      local ok, err = pcall(require('kith').setup, { dormant_days = 'x' })
      return { ok = ok, err = tostring(err) }
    ]])
    assert.is_false(res.ok, 'setup accepted dormant_days = "x"')
    assert.matches('^kith:', res.err)
    assert.matches('dormant_days', res.err)
  end)

  -- 11 -----------------------------------------------------------------------------------
  -- A note that grows too large for kith is let go of: annotations cleared, the user told
  -- once, nothing drawn again, and the rest of the vault still followed.
  local function spy_messages()
    t.exec_lua([[
      local view = require('kith.view')
      local message = view.message
      _G.kith_said = {}
      view.message = function(text)
        table.insert(_G.kith_said, text)
        return message(text)
      end
    ]])
  end

  local function expect_let_go(buf, needle, other)
    t.wait_for(function()
      return t.exec_lua('return require("kith").info(...) == nil', buf)
    end, OPEN_TIMEOUT, 'kith lets go of the buffer')
    wait_annotations(buf, {}, EDIT_TIMEOUT, 'no annotations once let go')
    local said = t.exec_lua('return _G.kith_said')
    local told = {}
    for _, text in ipairs(said) do
      if text:find(needle, 1, true) then
        table.insert(told, text)
      end
    end
    assert.are.equal(1, #told, 'told once: ' .. t.dump(said))
    assert.matches('^kith:', told[1])
    -- Later edits draw nothing and say nothing more.
    t.request('nvim_buf_set_lines', buf, 0, 0, false, { '# More @more' })
    t.sleep(300)
    assert.are.same({}, t.annotations(buf))
    assert.are.equal(#said, #t.exec_lua('return _G.kith_said'))
    -- Another note of the vault is still annotated.
    local b = t.edit(vault .. '/' .. other)
    wait_annotations(b, t.expected_annotations(vault)[other], OPEN_TIMEOUT, other .. ' annotations')
  end

  it('a note that grows past the size kith follows is let go of, and the user told once', function()
    t.start()
    spy_messages()
    local path = vault .. '/people/acme.md'
    t.exec_lua('require("kith").MAX_BYTES = ...', #t.read_file(path) + 1000)
    local buf = t.edit(path)
    wait_annotations(buf, t.expected_annotations(vault)['people/acme.md'], OPEN_TIMEOUT, 'acme.md annotations')
    t.request('nvim_buf_set_lines', buf, -1, -1, false, { string.rep('x', 2000) })
    expect_let_go(buf, 'kith follows notes up to', 'people/bob.md')
  end)

  it('one change of over 64 MiB lets go of the note; its text is never read as messages', function()
    t.start()
    spy_messages()
    local path = vault .. '/people/acme.md'
    local buf = t.edit(path)
    wait_annotations(buf, t.expected_annotations(vault)['people/acme.md'], OPEN_TIMEOUT, 'acme.md annotations')
    local pid = t.host_pid()
    -- A 65 MiB line made of a packed request [0, 1, "kith_version", []] over and over.
    t.exec_lua([[
      local buf = ...
      local request = '\148\0\1\172kith_version\144'
      local line = string.rep(request, math.ceil(65 * 1024 * 1024 / #request))
      vim.api.nvim_buf_set_lines(buf, -1, -1, false, { line })
    ]], buf)
    expect_let_go(buf, 'too large', 'people/bob.md')
    assert.are.equal(pid, t.host_pid(), 'the same host')
  end)
end)
