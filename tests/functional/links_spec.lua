-- Contact notes and wiki links in the editor (SPEC §1 v2, §5): a contact note's annotation
-- stands on its first line and counts the items that name it by link in other buffers; a
-- change of a name or alias in one buffer re-resolves the links of every buffer; ambiguous
-- links and items that name no one are diagnostics of the buffer they are in.

local t = require('support')

local OPEN_TIMEOUT = 3000
local EDIT_TIMEOUT = 2000
local DISK_TIMEOUT = 3000

local ALICE = table.concat({
  '---', --                       1 (the annotation's line)
  'handle: "@alice"', --          2
  'aliases: [Al]', --             3
  '---', --                       4
  '# Alice Chen', --              5
  '- 2026-11-01 #gave intro', --  6
  '',
}, '\n')

local DAILY = table.concat({
  '- #got [[Al]] feedback', --           1: alice, by her alias
  '- #met [[Alice Chen]] coffee', --     2: alice, by her file name
  '',
}, '\n')

local function vault_dir()
  local dir = t.temp_dir() .. '/vault'
  assert(t.sh('mkdir -p ' .. t.shell_quote(dir .. '/people') .. ' ' .. t.shell_quote(dir .. '/daily')))
  t.write_file(dir .. '/.kith', '')
  t.write_file(dir .. '/people/Alice Chen.md', ALICE)
  t.write_file(dir .. '/daily/2026-11-20.md', DAILY)
  return dir
end

-- ↑ and ↓ of alice's annotation in `buf` (line 1), once it says `want_got` received.
local function wait_got(buf, want_got, what)
  t.wait_for(function()
    local _, got = t.gave_got(t.annotations(buf)[1])
    return got == want_got
  end, EDIT_TIMEOUT, what .. ': alice ↓' .. want_got, function()
    return t.annotations(buf)
  end)
end

-- kith's diagnostics of `buf` as "line:col: message" (1-based line, 0-based col), sorted.
local function diagnostics(buf)
  local out = {}
  for _, d in ipairs(t.diagnostics(buf)) do
    if d.kith then
      out[#out + 1] = ('%d:%d: %s'):format(d.lnum + 1, d.col, d.message)
    end
  end
  return table.concat(out, '\n')
end

local function wait_diagnostics(buf, want, what)
  t.wait_for(function()
    return diagnostics(buf) == want
  end, EDIT_TIMEOUT, what, function()
    return diagnostics(buf)
  end)
end

describe('contact notes and wiki links in the editor', function()
  after_each(function()
    t.teardown()
  end)

  it('a name changed in one buffer re-resolves the links of the others', function()
    local vault = vault_dir()
    t.start()
    local daily = t.edit(vault .. '/daily/2026-11-20.md')
    local alice = t.edit(vault .. '/people/Alice Chen.md')
    -- Line 1 of the contact note: gave 1 (its own item), got 1 and met 1 by link.
    t.wait_for(function()
      return t.annotations(alice)[1]
    end, OPEN_TIMEOUT, 'the contact note annotated on its first line', function()
      return t.annotations(alice)
    end)
    local gave, got = t.gave_got(t.annotations(alice)[1])
    assert.are.same({ 1, 1 }, { gave, got }, t.annotations(alice)[1])
    assert.is_nil(t.annotations(alice)[5], 'its title heading names no one')
    assert.are.equal('', diagnostics(daily))

    -- An edit in the contact note that changes no name (it is the buffer being edited now).
    t.request('nvim_buf_set_lines', alice, 6, 6, true, { '- 2026-11-02 #gave notes' })
    t.wait_for(function()
      return t.gave_got(t.annotations(alice)[1]) == 2
    end, EDIT_TIMEOUT, 'alice ↑2', function()
      return t.annotations(alice)
    end)
    -- Rename the alias in the contact note: the daily note's [[Al]] names no one any more.
    t.request('nvim_buf_set_lines', alice, 2, 3, true, { 'aliases: [Ali]' })
    wait_got(alice, 0, 'alias renamed')
    wait_diagnostics(daily, '1:0: interaction names no contact', 'the daily note says so')

    -- Follow it in the daily note: counted again, the warning gone.
    t.request('nvim_buf_set_lines', daily, 0, 1, true, { '- #got [[Ali]] feedback' })
    wait_got(alice, 1, 'link renamed')
    wait_diagnostics(daily, '', 'the warning is gone')

    -- A note written on disk that also answers to "Ali": the link is ambiguous, at its `[[`.
    t.write_file(vault .. '/people/ali.md', '---\nhandle: ali\n---\n')
    wait_got(alice, 0, 'a second Ali')
    t.wait_for(function()
      return diagnostics(daily):find('1:7: ambiguous link [[Ali]]: @alice, @ali', 1, true)
    end, DISK_TIMEOUT, 'the ambiguous link', function()
      return diagnostics(daily)
    end)
    assert.are.equal('1:0: interaction names no contact\n1:7: ambiguous link [[Ali]]: @alice, @ali',
      diagnostics(daily))
  end)

  it('the host gives each contact its names and a contact note its outline', function()
    local vault = vault_dir()
    t.start()
    local alice = t.edit(vault .. '/people/Alice Chen.md')
    wait_got(alice, 1, 'opened')
    local contacts = t.exec_lua([[
      local info = require('kith').info(...)
      return require('kith.host').contacts(info.vault, 3000)
    ]], alice)
    assert.are.equal(1, #contacts, vim.inspect(contacts))
    local c = contacts[1]
    assert.are.same({ 'alice', 'Alice Chen', 'people/Alice Chen.md', 1 },
      { c.handle, c.name, c.path:gsub('^.*/people/', 'people/'), c.line })
    assert.are.same({ 'Alice Chen', 'Al' }, c.names, 'what [[ may complete')
    assert.are.same({ 'Al' }, c.aliases)
    assert.are.equal('Alice Chen', c.file)
    -- The outline: the note's declaration, level 0, line 1 to its end; :Kith log in it goes
    -- after its last item (line 6), not into its front matter.
    local outline = t.exec_lua('return require("kith.log").outline(...)', alice)
    assert.are.same({ { handle = 'alice', level = 0, line = 1, end_line = 6, last_item = 6 } },
      outline)
    t.request('nvim_buf_set_lines', alice, 5, 6, true, {})
    local empty = t.exec_lua('return require("kith.log").outline(...)', alice)
    assert.are.same({ { handle = 'alice', level = 0, line = 1, end_line = 5, last_item = 5 } },
      empty, 'no item: its last line')
  end)

  it('typing in the contact note keeps its annotation on line 1 and its links resolved', function()
    local vault = vault_dir()
    t.start()
    local alice = t.edit(vault .. '/people/Alice Chen.md')
    wait_got(alice, 1, 'opened')
    -- An item below the title, with a link to herself by alias: counted, not a name change.
    t.request('nvim_buf_set_lines', alice, 6, 6, true, { '- 2026-11-21 #got [[Al]] a review' })
    wait_got(alice, 2, 'an item typed')
    -- Lines inserted above the title move nothing: the annotation stays on line 1.
    t.request('nvim_buf_set_lines', alice, 4, 4, true, { '', 'Engineering manager.' })
    wait_got(alice, 2, 'lines inserted')
    local marks = t.annotations(alice)
    assert.is_not_nil(marks[1], 'still on line 1')
    assert.are.equal(1, vim.tbl_count(marks), vim.inspect(marks))
  end)
end)
