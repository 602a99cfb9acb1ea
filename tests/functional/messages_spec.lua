-- A session of commands leaves :messages clean: no deprecation warning (current Neovim warns
-- about vim.tbl_islist, health.report_*, the table form of vim.validate, ...), no Lua error,
-- no stack traceback. Runs on every Neovim the suite runs on (0.7.2, 0.10 and 0.12).

local t = require('support')

local OPEN_TIMEOUT = 3000

describe(':messages after a session of commands', function()
  after_each(function()
    t.teardown()
  end)

  it('holds no deprecation warning and no error', function()
    local vault = t.copy_vault()
    t.start()
    local before = t.messages()
    local buf = t.edit(vault .. '/people/acme.md')
    t.wait_for(function()
      return next(t.annotations(buf)) ~= nil
    end, OPEN_TIMEOUT, 'annotations in people/acme.md', function()
      return t.dump(t.annotations(buf))
    end)
    -- Pickers and the browser as a user answers them: the first entry is chosen; the report
    -- page "opens" without starting a browser.
    t.exec_lua([[
      vim.ui.select = function(items, _, on_choice)
        vim.schedule(function() on_choice(items[1], 1) end)
      end
      if vim.ui.open then
        vim.ui.open = function(path) return { wait = function() return { code = 0 } end }, nil end
      end
    ]])
    local init_dir = t.temp_dir()
    -- What a user does in a first session: every subcommand of :Kith, a logged item, a
    -- template, health.
    local commands = {
      'Kith balances',
      'cclose',
      'Kith check',
      'cclose',
      'Kith agenda',
      'cclose',
      'Kith agenda pick',
      'Kith contacts',
      'edit ' .. vault .. '/people/acme.md',
      'Kith history @bob',
      'Kith history @bob quickfix',
      'cclose',
      'Kith log met @bob coffee at the conference',
      'Kith log give @bob an intro',
      'Kith log receive @bob advice',
      'Kith template meeting @bob',
      'Kith reflect',
      'Kith review',
      'Kith report',
      'Kith report quarter',
      'Kith report html',
      'edit ' .. vault .. '/people/acme.md',
      'Kith new @zed Zed Example',
      'bwipeout!',
      'Kith init ' .. init_dir,
      'edit ' .. vault .. '/people/acme.md',
      'checkhealth kith',
      'bwipeout!',
      'Kith restart',
    }
    local failed = {}
    for _, cmd in ipairs(commands) do
      local ok, seen = t.run_command(cmd)
      if not ok then
        table.insert(failed, cmd .. ': ' .. seen)
      end
    end
    assert.are.same({}, failed, 'every command runs')
    -- The restarted host runs and has the buffer again.
    t.wait_for(function()
      local st = t.exec_lua([[
        local chan = require('kith.host').channel()
        if not chan then return nil end
        local ok, st = pcall(vim.rpcrequest, chan, 'kith_status')
        return ok and st or nil
      ]])
      return st and st.buffers >= 1
    end, OPEN_TIMEOUT, 'the restarted host follows the buffer')
    local bad = {}
    local msgs = t.messages()
    for i = #before + 1, #msgs do
      local line = msgs[i]
      local lower = line:lower()
      if lower:find('deprecat', 1, true) or lower:find('traceback', 1, true)
        or line:find('^E%d+:') or lower:find('error', 1, true) then
        table.insert(bad, line)
      end
    end
    assert.are.same({}, bad, ':messages is clean; it holds:\n' .. table.concat(msgs, '\n'))
  end)
end)
