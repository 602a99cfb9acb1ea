-- Vaults are explicit (SPEC §5 v2): the `vault` option (a path, a list of paths, or a
-- function), else the nearest ancestor holding .kith or .obsidian; nothing else. A Markdown file
-- in no vault starts no host and gets no annotations; :Kith init makes a vault.

local t = require('support')

local OPEN_TIMEOUT = 3000

-- A folder that looks like a project (a .git folder, a README) with a note in it, in no vault.
local function project_dir()
  local dir = t.temp_dir() .. '/project'
  assert(t.sh('mkdir -p ' .. t.shell_quote(dir .. '/.git') .. ' ' .. t.shell_quote(dir .. '/notes')))
  t.write_file(dir .. '/README.md', '# Project\n\n## Alice Chen @alice\n\n- 2026-11-20 #gave intro\n')
  return dir
end

local function host_running()
  return t.exec_lua("return require('kith.host').channel() ~= nil")
end

local function wait_annotated(buf, line, what)
  return t.wait_for(function()
    return t.annotations(buf)[line]
  end, OPEN_TIMEOUT, what, function()
    return t.dump(t.annotations(buf))
  end)
end

describe('explicit vaults', function()
  after_each(function()
    t.teardown()
  end)

  it('a Markdown file in no vault (a .git folder is not a vault) starts no host', function()
    local dir = project_dir()
    t.start({ cwd = dir })
    local buf = t.edit(dir .. '/README.md')
    t.sleep(300)
    assert.is_false(host_running(), 'no host was started')
    assert.are.same({}, t.annotations(buf))
    assert.are.equal(vim.NIL, t.exec_lua("return require('kith').info(0)"), "not attached")
  end)

  it(':Kith init makes the current directory a vault and attaches the open note', function()
    local dir = project_dir()
    t.start({ cwd = dir })
    local buf = t.edit(dir .. '/README.md')
    local ok, msg = t.run_command('Kith init')
    assert.is_true(ok, msg)
    assert.is_truthy(msg:find('created .kith', 1, true), msg)
    assert.is_truthy(t.read_file(dir .. '/.kith'), '.kith exists')
    assert.is_truthy(wait_annotated(buf, 3, 'alice annotated'):find('↑1', 1, true))
    assert.are.equal(dir, t.exec_lua("return require('kith').info(0).vault"))
  end)

  it(':Kith init DIR makes DIR a vault', function()
    local dir = project_dir()
    t.start()
    local buf = t.edit(dir .. '/README.md')
    local ok, msg = t.run_command('Kith init ' .. dir)
    assert.is_true(ok, msg)
    wait_annotated(buf, 3, 'alice annotated')
  end)

  it('the vault option takes a list of paths (the one holding the file wins) or a function', function()
    local a, b = project_dir(), project_dir()
    t.start({ setup = { vault = { a, b } } })
    local buf = t.edit(b .. '/README.md')
    wait_annotated(buf, 3, 'annotated in vault b')
    assert.are.equal(b, t.exec_lua("return require('kith').info(0).vault"))
    t.teardown()
    local c = project_dir()
    t.start()
    t.exec_lua([[
      local root = ...
      require('kith').setup({ vault = function(path)
        return path:find(root, 1, true) == 1 and root or nil
      end })
    ]], c)
    buf = t.edit(c .. '/README.md')
    wait_annotated(buf, 3, 'annotated in the vault the function gave')
  end)

  it(':checkhealth kith says which vault a buffer is in, or why none', function()
    local dir = project_dir()
    local vault = t.copy_vault()
    t.start()
    t.edit(dir .. '/README.md')
    local note = t.edit(vault .. '/people/acme.md')
    wait_annotated(note, 7, 'acme.md annotated')
    t.command('checkhealth kith')
    local text = table.concat(t.buf_lines(0), '\n')
    assert.is_truthy(text:find('README.md: in no vault (no .kith or .obsidian in', 1, true), text)
    assert.is_truthy(text:find('acme.md: in the vault', 1, true), text)
  end)
end)
