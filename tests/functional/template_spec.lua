-- Functional tests of :Kith template (reflection, contact, errors, the templates directory)
-- and :Kith review in a real Neovim (SPEC §4-5, doc/kith.txt): what a user sees in the editor.
--
-- Run from the repository root (after building build/kith), this file alone:
--   KITH_BIN=$PWD/build/kith bash tests/functional/run.sh tests/functional/template_spec.lua
-- or the tests whose full name matches a Lua pattern (here the :Kith template ones):
--   KITH_BIN=$PWD/build/kith bash tests/functional/run.sh --filter=':Kith commands template' tests/functional
-- (--filter=':Kith commands' runs the tests of all four :Kith commands specs: template_spec.lua,
-- log_spec.lua, check_spec.lua and completion_spec.lua.)
-- Each test starts its own `nvim --embed --headless` (today pinned to 2026-11-26) on a private
-- copy of examples/vault. Expected contacts, names and statuses come from
-- `kith balances --json` on that copy, never hard-coded; the reflection questions come from
-- the seed text of the spec.

local t = require('support')
local c = require('commands')

local TODAY = t.TODAY

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

local inserted_after, find_line, contains = c.inserted_after, c.find_line, c.contains

local open_note, stub_ui, ui_calls = t.open_note, t.stub_ui, t.ui_calls
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
end)
