-- The index cache in the editor (SPEC §6): `kith serve` loads a vault through
-- $XDG_CACHE_HOME/kith (one file per vault) unless the `cache = false` option, and what it
-- shows is the same with a cold cache, a warm one and none. Each test has its own
-- XDG_CACHE_HOME (set in Neovim before the host starts, which inherits it).

local t = require('support')

local OPEN_TIMEOUT = 5000

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

-- Directories that outlive t.teardown() (a restart of Neovim), removed after each test.
local own = {}

local function own_dir()
  local name = os.tmpname()
  os.remove(name)
  assert(t.sh('mkdir -p ' .. t.shell_quote(name)))
  table.insert(own, name)
  return name
end

-- A copy of the example vault whose notes are an hour old (kith caches only settled files).
local function old_vault()
  local vault = own_dir() .. '/vault'
  assert(t.sh('cp -r ' .. t.shell_quote(t.EXAMPLE_VAULT) .. ' ' .. t.shell_quote(vault)))
  assert(t.sh(('find %s -type f -exec touch -d "@$(( $(date +%%s) - 3600 ))" {} +'):format(t.shell_quote(vault))))
  return vault
end

local function cache_files(dir)
  return vim.fn.glob(dir .. '/kith/*', false, true)
end

-- Starts Neovim with `setup`, caching in `xdg`, opens people/acme.md and waits for its
-- annotations to be what `kith balances` says.
local function open_acme(vault, xdg, setup)
  t.start({ setup = setup })
  t.exec_lua('vim.env.XDG_CACHE_HOME = ...', xdg)
  local buf = t.edit(vault .. '/people/acme.md')
  local expected = t.expected_annotations(vault)['people/acme.md']
  t.wait_for(function()
    return same_map(t.annotations(buf), expected)
  end, OPEN_TIMEOUT, 'acme.md annotations = ' .. t.dump(expected), function()
    return t.dump(t.annotations(buf))
  end)
end

describe('the index cache', function()
  after_each(function()
    t.teardown()
    for _, dir in ipairs(own) do
      t.sh('rm -rf ' .. t.shell_quote(dir))
    end
    own = {}
  end)

  it('is written by kith serve and gives the same annotations when warm', function()
    local vault, xdg = old_vault(), own_dir()
    open_acme(vault, xdg)
    assert.are.equal(1, #cache_files(xdg), 'one cache file: ' .. t.dump(cache_files(xdg)))
    local before = t.read_file(cache_files(xdg)[1])
    t.teardown()
    open_acme(vault, xdg)
    assert.are.equal(before, t.read_file(cache_files(xdg)[1]), 'a warm start leaves it as it was')
  end)

  it('is neither read nor written with cache = false', function()
    local vault, xdg = old_vault(), own_dir()
    open_acme(vault, xdg, { cache = false })
    assert.are.same({}, cache_files(xdg))
  end)

  it('a corrupt cache file is rebuilt and changes nothing shown', function()
    local vault, xdg = old_vault(), own_dir()
    open_acme(vault, xdg)
    local file = cache_files(xdg)[1]
    t.write_file(file, 'not a cache')
    t.teardown()
    open_acme(vault, xdg)
    assert.are_not.equal('not a cache', t.read_file(file))
  end)
end)
