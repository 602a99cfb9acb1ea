-- Functional tests of kith's commands, templates, quick logging, maps and completion in a
-- real Neovim (SPEC §4-5, doc/kith.txt): what a user sees in the editor.
--
-- Run from the repository root (after building build/kith):
--   KITH_BIN=$PWD/build/kith bash tests/functional/run.sh --filter=':Kith commands'
-- Each test starts its own `nvim --embed --headless` (today pinned to 2026-11-26) on a private
-- copy of examples/vault. Expected contacts, names and statuses come from
-- `kith balances --json` on that copy, never hard-coded; the reflection questions come from
-- the seed text of the spec.

local t = require('support')

local TODAY = t.TODAY
local OPEN_TIMEOUT = 3000 -- ms: first annotations after opening a note (vault indexing)
local EDIT_TIMEOUT = 2000 -- ms: an inserted item shows in the annotations
local KEY_TIMEOUT = 2000 -- ms: typed keys have done their work

local SEED = '/work/shared/spec/seed-value-based-networking.txt'

-- Helpers -----------------------------------------------------------------------------------

local function collapse(s)
  return (s:gsub('%s+', ' '):gsub('^ ', ''):gsub(' $', ''))
end

--- The twelve reflection questions, word for word: from the seed text when it is there,
--- else from templates/reflection.md. Whitespace collapsed, numbering removed.
local function seed_questions()
  local text = t.read_file(SEED)
  local source = SEED
  if text then
    local from = assert(text:find('reflect on the questions below', 1, true), 'seed: no question intro')
    local to = assert(text:find('Building a value based network', from, true), 'seed: no end of questions')
    text = text:sub(from, to - 1)
    text = text:gsub('^[^\n]*\n', '') -- drop the intro line
  else
    source = 'templates/reflection.md'
    local lines = {}
    for _, l in ipairs(t.lines_of(t.ROOT .. '/templates/reflection.md')) do
      if l:match('^%s*%d+%.%s') then
        table.insert(lines, l)
      end
    end
    text = table.concat(lines, '\n')
  end
  text = ' ' .. collapse(text) .. ' '
  local questions = {}
  for i = 1, 12 do
    local start_pat = ' ' .. i .. '%. '
    local s, e = text:find(start_pat)
    assert(s, source .. ': question ' .. i .. ' not found')
    local stop = i < 12 and text:find(' ' .. (i + 1) .. '%. ', e) or #text
    questions[i] = collapse(text:sub(e + 1, stop))
  end
  return questions, source
end

--- Checks that `now` is `orig` with a block inserted after line `row` (1-based; 0 = at the
--- top) and returns the inserted lines.
local function inserted_after(orig, now, row, what)
  local n = #now - #orig
  assert.is_true(n > 0, (what or 'insertion') .. ': nothing was inserted; buffer: ' .. t.dump(now))
  for i = 1, row do
    assert.are.equal(orig[i], now[i], ('%s: line %d above the insertion changed'):format(what or 'insertion', i))
  end
  for i = row + 1, #orig do
    assert.are.equal(orig[i], now[i + n], ('%s: original line %d below the insertion changed'):format(what or 'insertion', i))
  end
  local block = {}
  for i = row + 1, row + n do
    table.insert(block, now[i])
  end
  return block
end

--- A template that begins with a heading is kept apart from a non-blank line above it by a
--- blank line (SPEC §5, "Where things go"): checks it and returns the block without it.
local function after_blank(block, what)
  assert.are.equal('', block[1], (what or 'template') .. ': a blank line before the heading')
  return { unpack(block, 2) }
end

--- Output of `kith template NAME [--handle H] --today TODAY VAULT` as lines.
local function cli_template(vault, name, handle, dir)
  local cmd = ('%s template %s --today %s'):format(t.shell_quote(t.KITH_BIN), t.shell_quote(name), TODAY)
  if handle then
    cmd = cmd .. ' --handle ' .. t.shell_quote(handle)
  end
  if dir then
    cmd = cmd .. ' --templates ' .. t.shell_quote(dir)
  end
  local out = t.capture(cmd .. ' ' .. t.shell_quote(vault) .. ' 2>/dev/null')
  local lines = {}
  for line in out:gmatch('(.-)\n') do
    table.insert(lines, line)
  end
  return lines
end

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

local function find_line(lines, pattern)
  for i, l in ipairs(lines) do
    if l:find(pattern) then
      return i
    end
  end
end

local function contains(list, value)
  for _, v in ipairs(list) do
    if v == value then
      return true
    end
  end
  return false
end

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

  -- 1 ------------------------------------------------------------------------------------
  describe('template reflection', function()
    local function check_reflection(cmd)
      t.start()
      local questions, source = seed_questions()
      assert.are.equal(12, #questions, 'twelve questions in ' .. source)
      local buf = open_note(vault, 'people/carol.md', 1)
      -- A user edit first: the undo of the template must not take it away too.
      set_cursor(3)
      type_keys('oMy own line.<Esc>', function()
        return t.buf_lines(buf)[4] == 'My own line.'
      end, 'the typed line')
      local orig = t.buf_lines(buf)
      set_cursor(4)

      local ok, msg = t.run_command(cmd)
      assert.is_true(ok, cmd .. ' failed: ' .. msg)
      -- The cursor is in carol's section, which runs to the end of the note: the reflection
      -- goes after it, so that none of carol's lines leaves her section.
      local block = after_blank(inserted_after(orig, t.buf_lines(buf), #orig, cmd), cmd)

      assert.is_truthy(block[1]:match('^#+ '), 'the reflection begins with a heading: ' .. block[1])
      assert.is_truthy(block[1]:find(TODAY, 1, true), 'the heading is dated ' .. TODAY .. ': ' .. block[1])

      -- Numbered 1-12, word for word, each followed by an empty answer item.
      local found = {}
      for i, l in ipairs(block) do
        local n, q = l:match('^%s*(%d+)[.)]%s+(.*)$')
        if n then
          table.insert(found, { n = tonumber(n), q = collapse(q), next = block[i + 1] })
        end
      end
      assert.are.equal(12, #found, 'twelve numbered questions in ' .. t.dump(block))
      for i, f in ipairs(found) do
        assert.are.equal(i, f.n, 'question ' .. i .. ' is numbered ' .. i)
        assert.are.equal(questions[i], f.q, 'question ' .. i .. ' word for word (' .. source .. ')')
        assert.is_truthy(f.next and f.next:match('^%s+[-*+]%s*$'),
          'question ' .. i .. ' is followed by an empty answer item, not ' .. t.dump(f.next))
      end

      -- Exactly one undo removes the whole insertion, and only it.
      t.command('undo')
      assert.are.same(orig, t.buf_lines(buf), 'one :undo removes the reflection')
      t.command('undo')
      assert.are.same(t.lines_of(vault .. '/people/carol.md'), t.buf_lines(buf), 'a second :undo removes the typed line')
    end

    it(':Kith template reflection inserts the dated twelve questions after the contact section at the cursor; one undo removes it', function()
      check_reflection('Kith template reflection')
    end)

    it(':Kith reflect does the same', function()
      check_reflection('Kith reflect')
    end)
  end)

  -- 2 ------------------------------------------------------------------------------------
  describe('template contact', function()
    it('with an unknown handle inserts "## zoe @zoe" (the expanded template); one undo removes it', function()
      t.start()
      local buf = open_note(vault, 'people/acme.md', 7)
      local orig = t.buf_lines(buf)
      set_cursor(3)
      local ok, msg = t.run_command('Kith template contact @zoe')
      assert.is_true(ok, msg)
      local block = after_blank(inserted_after(orig, t.buf_lines(buf), 3, 'contact @zoe'), 'contact @zoe')
      assert.are.equal('## zoe @zoe', block[1])
      assert.are.same(cli_template(vault, 'contact', 'zoe'), block, 'the same text as `kith template contact --handle zoe`')
      t.command('undo')
      assert.are.same(orig, t.buf_lines(buf), 'one :undo removes it')
    end)

    it('with a known handle takes the name from the vault (@carol -> Carol Diaz)', function()
      t.start()
      local carol = assert(t.contacts(vault).carol, 'carol in the balances JSON')
      local buf = open_note(vault, 'daily/2026-11-10.md')
      local orig = t.buf_lines(buf)
      set_cursor(1)
      local ok, msg = t.run_command('Kith template contact @carol')
      assert.is_true(ok, msg)
      local block = after_blank(inserted_after(orig, t.buf_lines(buf), 1, 'contact @carol'), 'contact @carol')
      assert.are.equal('## ' .. carol.name .. ' @carol', block[1])
      assert.are.equal('## Carol Diaz @carol', block[1])
    end)

    it('without a handle asks for one with vim.ui.input', function()
      t.start()
      local buf = open_note(vault, 'daily/2026-11-10.md')
      stub_ui({ input = 'zoe' })
      local orig = t.buf_lines(buf)
      set_cursor(1)
      local ok, msg = t.run_command('Kith template contact')
      assert.is_true(ok, msg)
      local calls = ui_calls()
      assert.are.equal(1, #calls.inputs, 'vim.ui.input asked once: ' .. t.dump(calls))
      local block = after_blank(inserted_after(orig, t.buf_lines(buf), 1, 'contact (asked)'), 'contact (asked)')
      assert.are.equal('## zoe @zoe', block[1])
      t.command('undo')
      assert.are.same(orig, t.buf_lines(buf), 'one :undo removes it')
    end)

    it('without a handle, cancelling the question inserts nothing', function()
      t.start()
      local buf = open_note(vault, 'daily/2026-11-10.md')
      stub_ui({ input = nil })
      local orig = t.buf_lines(buf)
      set_cursor(1)
      local ok, msg = t.run_command('Kith template contact')
      assert.is_true(ok, msg)
      assert.are.equal(1, #ui_calls().inputs, 'vim.ui.input was asked')
      t.sleep(100)
      assert.are.same(orig, t.buf_lines(buf), 'nothing inserted')
      assert.is_false(t.exec_lua('return vim.bo.modified'), 'buffer not modified')
    end)
  end)

  -- 3 ------------------------------------------------------------------------------------
  describe('template errors and the templates directory', function()
    it('an unknown template is an error naming it; the buffer is unchanged', function()
      t.start()
      local buf = open_note(vault, 'people/acme.md', 7)
      local orig = t.buf_lines(buf)
      set_cursor(3)
      local _, msg = t.run_command('Kith template nosuch')
      assert.is_truthy(msg:find('nosuch', 1, true), 'the message names the template: ' .. msg)
      assert.is_truthy(msg:find('kith', 1, true), 'the message says it is kith: ' .. msg)
      assert.are.same(orig, t.buf_lines(buf), 'buffer unchanged')
      assert.is_false(t.exec_lua('return vim.bo.modified'), 'buffer not modified')
    end)

    local function templates_dir()
      local dir = t.temp_dir() .. '/tpl'
      assert(os.execute('mkdir -p ' .. t.shell_quote(dir)))
      t.write_file(dir .. '/bad.md', '## Bad {{date}}\n- a line with {{nope}} in it\n')
      t.write_file(dir .. '/contact.md', '## {{name}} @{{handle}} (mine)\n\n- my own contact template, {{date}}\n')
      t.write_file(dir .. '/standup.md', '## Standup {{date}}\n\n- yesterday:\n- today:\n')
      return dir
    end

    it('a template with an unknown placeholder is an error naming template, line and placeholder; nothing inserted', function()
      local dir = templates_dir()
      t.start({ setup = { templates = dir } })
      local buf = open_note(vault, 'people/acme.md', 7)
      local orig = t.buf_lines(buf)
      set_cursor(3)
      local _, msg = t.run_command('Kith template bad')
      assert.is_truthy(msg:find('bad', 1, true), 'names the template bad: ' .. msg)
      assert.is_truthy(msg:find('line 2', 1, true) or msg:find(':2[^%d]') or msg:find(':2$'), 'names line 2: ' .. msg)
      assert.is_truthy(msg:find('nope', 1, true), 'names the placeholder nope: ' .. msg)
      assert.are.same(orig, t.buf_lines(buf), 'nothing inserted')
      assert.is_false(t.exec_lua('return vim.bo.modified'), 'buffer not modified')
    end)

    it('contact.md in the directory overrides the built-in', function()
      local dir = templates_dir()
      t.start({ setup = { templates = dir } })
      local buf = open_note(vault, 'people/acme.md', 7)
      local orig = t.buf_lines(buf)
      set_cursor(3)
      local ok, msg = t.run_command('Kith template contact @zoe')
      assert.is_true(ok, msg)
      local block = after_blank(inserted_after(orig, t.buf_lines(buf), 3, 'contact from the templates dir'))
      assert.are.same({ '## zoe @zoe (mine)', '', '- my own contact template, ' .. TODAY }, block)
    end)

    it('a new standup.md is listed in completion and can be inserted', function()
      local dir = templates_dir()
      t.start({ setup = { templates = dir } })
      local buf = open_note(vault, 'people/acme.md', 7)
      local names = t.exec_lua([[return vim.fn.getcompletion('Kith template ', 'cmdline')]])
      for _, want in ipairs({ 'standup', 'bad', 'contact', 'meeting', 'reflection', 'review' }) do
        assert.is_true(contains(names, want), want .. ' in ' .. t.dump(names))
      end
      assert.are.same({ 'standup' }, t.exec_lua([[return vim.fn.getcompletion('Kith template st', 'cmdline')]]))
      local orig = t.buf_lines(buf)
      set_cursor(3)
      local ok, msg = t.run_command('Kith template standup')
      assert.is_true(ok, msg)
      local block = after_blank(inserted_after(orig, t.buf_lines(buf), 3, 'standup'), 'standup')
      assert.are.same({ '## Standup ' .. TODAY, '', '- yesterday:', '- today:' }, block)
    end)
  end)

  -- 4 ------------------------------------------------------------------------------------
  it(':Kith review inserts the weekly review naming dormant, owe and let-them-help contacts; one undo removes it', function()
    t.start()
    local by_status = {}
    for _, c in ipairs(t.balances(vault).contacts) do
      by_status[c.status] = by_status[c.status] or {}
      table.insert(by_status[c.status], c.handle)
    end
    for _, s in ipairs({ 'dormant', 'owe', 'let-them-help' }) do
      assert.is_not_nil(by_status[s], 'the example vault has a ' .. s .. ' contact')
    end

    local buf = open_note(vault, 'daily/2026-11-17.md')
    local orig = t.buf_lines(buf)
    set_cursor(#orig)
    local ok, msg = t.run_command('Kith review')
    assert.is_true(ok, msg)
    local block = after_blank(inserted_after(orig, t.buf_lines(buf), #orig, 'review'), 'review')
    assert.is_truthy(block[1]:match('^#+ ') and block[1]:find(TODAY, 1, true), 'a dated heading first: ' .. block[1])

    -- The section of each list: from its heading to the next heading.
    local function section(pattern)
      local from
      for i, l in ipairs(block) do
        if l:match('^#+ ') and l:lower():find(pattern) then
          from = i
          break
        end
      end
      assert.is_not_nil(from, 'a heading matching ' .. pattern .. ' in ' .. t.dump(block))
      local out = {}
      for i = from + 1, #block do
        if block[i]:match('^#+ ') then
          break
        end
        if block[i]:match('%S') then
          table.insert(out, block[i])
        end
      end
      return out
    end

    local sections = {
      dormant = section('dormant'),
      owe = section('your turn to give'),
      ['let-them-help'] = section('return the favour'),
    }
    for status, lines in pairs(sections) do
      local want = by_status[status]
      assert.are.equal(#want, #lines, status .. ': one line per contact: ' .. t.dump(lines))
      for _, h in ipairs(want) do
        local line = find_line(lines, '@' .. h:gsub('%p', '%%%0') .. '%f[^%w_.-]')
        assert.is_not_nil(line, status .. ': a line naming @' .. h .. ' in ' .. t.dump(lines))
      end
      for _, l in ipairs(lines) do
        assert.is_truthy(l:find('@', 1, true), status .. ': each line names the @handle: ' .. l)
      end
    end

    t.command('undo')
    assert.are.same(orig, t.buf_lines(buf), 'one :undo removes the review')
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
