-- Where things go (SPEC §5 v2): nothing kith inserts moves lines into another contact's section
-- or out of their own; logging, templates and outlines use the buffer's current text, even
-- right after it was opened. Each spec here failed before its fix (issue #9, bugs 1-3).
--
-- Layout of examples/vault/people/acme.md used below (checked by the first assertion of each
-- spec): `## Bob Martins @bob` on line 7, his last interaction on lines 17-18, a blank line 19,
-- `## Frank Li @frank` on line 20.

local t = require('support')

local TODAY = t.TODAY
local OPEN_TIMEOUT = 3000
local EDIT_TIMEOUT = 2000

local function find_line(lines, pattern)
  for i, l in ipairs(lines) do
    if l:find(pattern) then
      return i
    end
  end
end

local function check_layout(lines)
  assert.are.same({ 7, 20 }, { find_line(lines, '^## Bob Martins @bob'), find_line(lines, '^## Frank Li @frank') },
    'example vault layout')
  assert.is_truthy(lines[18]:match('^%s+%- 2026%-07%-16 #gave'), 'line 18 is bob\'s last (nested) interaction')
  assert.are.equal('', lines[19])
end

--- vim.ui.select / vim.ui.input record what they are asked and cancel.
local function record_ui()
  t.exec_lua([[
    _G.kith_asked = {}
    vim.ui.select = function(_, opts, on_choice)
      table.insert(_G.kith_asked, 'select: ' .. ((opts or {}).prompt or ''))
      on_choice(nil, nil)
    end
    vim.ui.input = function(opts, on_confirm)
      table.insert(_G.kith_asked, 'input: ' .. ((opts or {}).prompt or ''))
      on_confirm(nil)
    end
  ]])
end

local function asked()
  return t.exec_lua('return _G.kith_asked')
end

--- The annotation (from the host's contact list, as :Kith balances shows it) of `handle`.
local function contact_annotation(vault, handle)
  local contacts = t.exec_lua('return require("kith.host").contacts(...)', vault)
  for _, c in ipairs(contacts or {}) do
    if c.handle == handle then
      return c.annotation
    end
  end
end

describe('where things go', function()
  local vault
  before_each(function()
    vault = t.copy_vault()
  end)
  after_each(function()
    t.teardown()
  end)

  it(':Kith log right after :edit uses the buffer\'s sections (not an empty outline)', function()
    t.start()
    record_ui()
    local path = vault .. '/people/acme.md'
    check_layout(t.lines_of(path))
    -- Open, move into Bob's section and log, all in one go: the host may not have the
    -- buffer's lines yet when the command asks where Bob's section is.
    local ok, err = pcall(t.exec_lua, [[
      vim.cmd('edit ' .. vim.fn.fnameescape(...))
      vim.api.nvim_win_set_cursor(0, { 12, 0 })
      vim.cmd('Kith log receive lunch')
    ]], path)
    assert.is_true(ok, tostring(err))
    assert.are.same({}, asked(), 'kith knew the contact at the cursor without asking')
    local lines = t.buf_lines(0)
    assert.are.equal('- ' .. TODAY .. ' #got lunch', lines[19], 'after bob\'s last interaction')
    assert.are.equal('## Frank Li @frank', lines[21])
  end)

  it(':Kith log give @alice with the cursor in bob\'s section counts for alice, not bob', function()
    t.start()
    local buf = t.edit(vault .. '/people/acme.md')
    local orig = t.buf_lines(buf)
    check_layout(orig)
    t.wait_for(function()
      return t.annotations(buf)[7]
    end, OPEN_TIMEOUT, 'bob annotated')
    local bob_before = t.annotations(buf)[7]
    local alice_gave = t.gave_got(contact_annotation(vault, 'alice'))
    assert.is_number(alice_gave, 'alice has numbers')

    t.request('nvim_win_set_cursor', 0, { 12, 0 })
    local ok, msg = t.run_command('Kith log give @alice intro to the Porto meetup')
    assert.is_true(ok, msg)
    local lines = t.buf_lines(buf)
    assert.are.equal('- ' .. TODAY .. ' #gave @alice intro to the Porto meetup', lines[13], 'below the cursor')
    t.wait_for(function()
      return t.gave_got(contact_annotation(vault, 'alice')) == alice_gave + 1
    end, EDIT_TIMEOUT, 'alice ↑' .. (alice_gave + 1), function()
      return contact_annotation(vault, 'alice')
    end)
    assert.are.equal(bob_before, t.annotations(buf)[7], 'bob\'s numbers do not change')
  end)

  it(':Kith reflect in bob\'s section goes after the end of his section, with a blank line before', function()
    t.start()
    local buf = t.edit(vault .. '/people/acme.md')
    local orig = t.buf_lines(buf)
    check_layout(orig)
    t.wait_for(function()
      return t.annotations(buf)[7]
    end, OPEN_TIMEOUT, 'bob annotated')
    local bob_before = t.annotations(buf)[7]

    t.request('nvim_win_set_cursor', 0, { 12, 0 })
    local ok, msg = t.run_command('Kith reflect')
    assert.is_true(ok, msg)
    local lines = t.buf_lines(buf)
    for i = 1, 19 do
      assert.are.equal(orig[i], lines[i], 'bob\'s section is untouched (line ' .. i .. ')')
    end
    assert.are.equal('## Reflection ' .. TODAY, lines[20], 'the template follows bob\'s section')
    local frank = find_line(lines, '^## Frank Li @frank')
    assert.is_true(frank > 20)
    assert.are.equal('', lines[frank - 1], 'a blank line before frank')
    assert.are.equal(orig[20], lines[frank])
    t.wait_for(function()
      return t.annotations(buf)[7] == bob_before
    end, EDIT_TIMEOUT, 'bob keeps his numbers', function()
      return t.annotations(buf)[7]
    end)
    t.command('undo')
    assert.are.same(orig, t.buf_lines(buf), 'one :undo removes it')
  end)

  it(':Kith template with the cursor outside any contact section inserts below the cursor', function()
    t.start()
    local buf = t.edit(vault .. '/people/acme.md')
    local orig = t.buf_lines(buf)
    t.wait_for(function()
      return t.annotations(buf)[7]
    end, OPEN_TIMEOUT, 'bob annotated')
    t.request('nvim_win_set_cursor', 0, { 3, 0 })
    local ok, msg = t.run_command('Kith reflect')
    assert.is_true(ok, msg)
    local lines = t.buf_lines(buf)
    assert.are.same({ orig[1], orig[2], orig[3], '' }, { lines[1], lines[2], lines[3], lines[4] })
    assert.are.equal('## Reflection ' .. TODAY, lines[5], 'below the cursor, after a blank line')
  end)
end)
