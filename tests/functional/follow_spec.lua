-- Buffers follow their files (SPEC §5 v2): a buffer reloaded from disk keeps its annotations
-- current, and notes in directories created after start-up are read. Each spec here failed
-- before its fix (issue #9, bugs 4 and 5).

local t = require('support')

local OPEN_TIMEOUT = 3000
local EDIT_TIMEOUT = 2000
local DISK_TIMEOUT = 3000

local function open_acme(vault)
  local buf = t.edit(vault .. '/people/acme.md')
  t.wait_for(function()
    return t.annotations(buf)[7]
  end, OPEN_TIMEOUT, 'bob annotated (line 7)')
  assert.are.equal('## Bob Martins @bob', t.buf_lines(buf)[7], 'example vault layout')
  return buf
end

local function wait_bob_gave(buf, gave, what)
  return t.wait_for(function()
    return t.gave_got(t.annotations(buf)[7]) == gave
  end, EDIT_TIMEOUT, what .. ': bob ↑' .. gave, function()
    return t.annotations(buf)[7]
  end)
end

describe('buffers follow their files', function()
  local vault
  before_each(function()
    vault = t.copy_vault()
  end)
  after_each(function()
    t.teardown()
  end)

  for _, reload in ipairs({ 'edit', 'checktime' }) do
    it('a buffer reloaded with :' .. reload .. ' keeps following its file', function()
      t.start()
      local buf = open_acme(vault)
      local gave = t.gave_got(t.annotations(buf)[7])
      -- The file changes on disk (another editor, a sync tool): one more give to bob.
      local path = vault .. '/people/acme.md'
      local lines = t.lines_of(path)
      table.insert(lines, 10, '- 2026-11-20 #gave notes from the platform meetup')
      t.write_file(path, table.concat(lines, '\n') .. '\n')
      t.command('set autoread')
      t.command(reload)
      t.wait_for(function()
        return t.buf_lines(buf)[10] == '- 2026-11-20 #gave notes from the platform meetup'
      end, DISK_TIMEOUT, 'the buffer reloaded')
      wait_bob_gave(buf, gave + 1, 'after the reload')
      -- And it goes on following edits typed afterwards.
      t.request('nvim_buf_set_lines', buf, 10, 10, true, { '- 2026-11-21 #gave a second round of notes' })
      wait_bob_gave(buf, gave + 2, 'an edit after the reload')
    end)
  end

  it('notes in a directory created after start-up are read', function()
    t.start()
    local buf = open_acme(vault)
    local gave = t.gave_got(t.annotations(buf)[7])
    assert.is_true(t.sh('mkdir -p ' .. t.shell_quote(vault .. '/projects/2026')))
    t.sleep(200) -- let the host see the new directories before the note lands in them
    t.write_file(vault .. '/projects/2026/platform.md',
      '# Platform guild\n\n- 2026-11-22 #gave @bob the capacity model\n')
    wait_bob_gave(buf, gave + 1, 'a note in a new directory')
  end)
end)
