-- kith installed the way most users install it: with lazy.nvim (the real one, from the test
-- plugins), exactly as the README says. A fresh HOME and XDG directories; the plugin spec
-- { url = 'file://' .. clone, build = 'make', ft = 'markdown' }; `:Lazy! sync` clones it with
-- git and runs its build (`make`: the build dependencies and npm for the pinned grammar, as a
-- user's machine has them); then a note of the example vault shows its annotation, and
-- `:checkhealth kith` reports no error. lazy.nvim needs Neovim 0.8+: pending on 0.7.2.

local t = require('support')

local SYNC_TIMEOUT = 900000 -- ms: a fresh clone, npm ci and a whole build on a slow machine
local OPEN_TIMEOUT = 5000

--- A git repository holding this checkout's files as they are now (uncommitted changes too;
--- no build output, node_modules or .git): what a user's clone of kith would hold.
local function clone_of_checkout(dest)
  local q = t.shell_quote
  assert(t.sh(('mkdir -p %s && tar -C %s --exclude=./.git --exclude=./node_modules '
    .. "--exclude='./build*' -cf - . | tar -C %s -xf -"):format(q(dest), q(t.ROOT), q(dest))),
    'copying the checkout')
  assert(t.sh(('cd %s && git init -q && git add -A && git -c user.name=kith '
    .. '-c user.email=kith@localhost commit -qm clone >/dev/null'):format(q(dest))), 'git commit')
end

describe('kith installed with lazy.nvim', function()
  after_each(function()
    t.teardown()
  end)

  it('as the README says: :Lazy! sync builds it, a note shows its annotation, :checkhealth kith has no error', function()
    local why = t.missing_plugins('lazy.nvim')
    if why then
      return pending(why)
    end
    if not t.sh('command -v git >/dev/null 2>&1') then
      return pending('git not found (lazy.nvim installs plugins with git)')
    end
    local home = t.temp_dir()
    local clone = home .. '/src/kith'
    clone_of_checkout(clone)
    local vault = t.copy_vault()
    -- A copy of lazy.nvim outside its plugin root (a plugin of its own, kept as it is). It runs
    -- :helptags on its doc/, which the test copy leaves out: a one-line stand-in.
    local lazy_dir = home .. '/lazy.nvim'
    local config = home .. '/.config'
    assert(t.sh(('mkdir -p %s && cp -r %s %s && chmod -R u+w %s && mkdir -p %s/doc'):format(
      t.shell_quote(config .. '/nvim'), t.shell_quote(t.TEST_PLUGINS .. '/lazy.nvim'),
      t.shell_quote(lazy_dir), t.shell_quote(lazy_dir), t.shell_quote(lazy_dir))))
    t.write_file(lazy_dir .. '/doc/lazy.nvim.txt', '*lazy.nvim.txt*  lazy.nvim (test copy)\n')
    -- The README's lazy.nvim lines, with the clone's URL for 'kith/kith'.
    t.write_file(config .. '/nvim/init.lua', ([[
vim.opt.rtp:prepend(%q)
require('lazy').setup({
  { url = 'file://' .. %q, build = 'make', ft = 'markdown' },
}, {
  install = { missing = false }, -- :Lazy! sync below installs it
  rocks = { enabled = false },
  headless = { process = false, log = false, task = false }, -- quiet; the spec shows its tasks' output
  performance = { rtp = { reset = false } }, -- README: Debian keeps Neovim's parsers in /usr/lib/nvim
})
]]):format(lazy_dir, clone))
    local env = {
      HOME = home,
      XDG_CONFIG_HOME = config,
      XDG_DATA_HOME = home .. '/.local/share',
      XDG_STATE_HOME = home .. '/.local/state',
      XDG_CACHE_HOME = home .. '/.cache',
    }
    -- npm's own settings (registry, CA file) are the machine's, not the fresh HOME's.
    local npmrc = (os.getenv('HOME') or '') .. '/.npmrc'
    if vim.fn.filereadable(npmrc) == 1 and not os.getenv('NPM_CONFIG_USERCONFIG') then
      env.NPM_CONFIG_USERCONFIG = npmrc
    end
    t.spawn({ '-i', 'NONE', '-n' }, env)
    t.command('set lines=40 columns=120')

    -- :Lazy! sync returns once the clone and the build are done (or failed). It runs
    -- scheduled, so the runner polls for its end instead of blocking on it.
    local plugin_dir = t.exec_lua("return require('lazy.core.config').options.root") .. '/kith'
    t.exec_lua([[
      vim.schedule(function()
        local ok, err = pcall(vim.cmd, 'Lazy! sync')
        vim.g.kith_test_synced = ok and 'ok' or ('error: ' .. tostring(err))
      end)
    ]])
    local started, synced = t.now_ms(), false
    repeat
      t.sleep(500)
      synced = t.exec_lua('return vim.g.kith_test_synced or false')
    until synced or t.now_ms() - started > SYNC_TIMEOUT
    local build_log = t.exec_lua([[
      local p = require('lazy.core.config').plugins.kith
      local out = {}
      for _, task in ipairs(p and p._ and p._.tasks or {}) do
        table.insert(out, task.name .. (task:has_errors() and ' (error): ' or ': ') .. tostring(task:output()))
      end
      return table.concat(out, '\n')
    ]])
    local done = synced == 'ok'
    assert(done, ':Lazy! sync: ' .. tostring(synced or 'not done in time') .. '\n' .. build_log)
    assert.are.equal(1, vim.fn.executable(plugin_dir .. '/build/kith'), 'build/kith built by `make`\n' .. build_log)
    assert.are.equal(0, vim.fn.isdirectory(plugin_dir .. '/build/test_note'), 'make built no test programs')
    assert.are.equal(0, vim.fn.filereadable(plugin_dir .. '/build/test_note'), 'make built no test programs')

    -- Opening a note loads kith (ft = 'markdown') and shows the numbers kith counts.
    local rel = 'people/acme.md'
    local buf = t.edit(vault .. '/' .. rel)
    local out = t.capture(('%s balances --json %s'):format(
      t.shell_quote(plugin_dir .. '/build/kith'), t.shell_quote(vault)))
    local bob = {}
    for _, c in ipairs(t.json_decode(out).contacts) do
      if c.handle == 'bob' then
        bob = c
      end
    end
    local line = bob.declared[1].line
    t.wait_for(function()
      local a = t.annotations(buf)[line]
      return a and a:find(('↑%d ↓%d'):format(bob.gave, bob.got), 1, true)
    end, OPEN_TIMEOUT, ('@bob\'s annotation on %s:%d'):format(rel, line), function()
      return t.dump(t.annotations(buf))
    end)
    assert.are.equal(plugin_dir .. '/build/kith', t.exec_lua("return require('kith.host').cmd()"))

    t.command('checkhealth kith')
    local report = table.concat(t.buf_lines(0), '\n')
    assert.matches('kith', report)
    assert.matches('OK', report)
    assert.is_nil(report:find('ERROR', 1, true), report)
  end)
end)
