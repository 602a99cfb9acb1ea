-- Shared helpers for the editor specs: a real `nvim --embed --headless` with kith loaded,
-- driven over msgpack-RPC from the Neovim that runs busted (run.sh, runner.lua).
--
--   local t = require('support')
--   local vault = t.copy_vault()          -- examples/vault copied to a temp dir
--   t.start()                             -- nvim + :runtime! plugin/kith.lua + setup()
--   t.command('edit ' .. vault .. '/people/acme.md')
--   t.wait_for(function() return t.annotations()[7] end, 2000, 'bob annotated')
--   t.teardown()                          -- after_each: qa!, remove temp dirs
--
-- The runner is a Neovim too: start() runs the Neovim under test (the runner's own binary,
-- v:progpath) with jobstart({rpc = true}); request() is vim.rpcrequest() on that channel,
-- which blocks only the runner; waits are vim.wait() in the runner, so the Neovim under test
-- runs its event loop undisturbed, as it would for a user. API results come back as the
-- runner's Lua values (nil inside a result is vim.NIL, like the JSON null below).
--
-- Every wait has a timeout (at most MAX_WAIT ms) and fails with a clear message: a spec
-- never hangs. Line numbers in the helpers' results are 1-based (like the balances JSON),
-- columns are whatever the API gives (0-based), and each is said where it matters.
--
-- The helpers for what a user does and reads (buf_lines, qflist, run_command, open_note,
-- stub_ui, ui_calls, type_keys, set_cursor, ...) live in support_user.lua; this module
-- installs them at its end, so they are t.open_note etc. like every helper here.

assert(vim and vim.rpcrequest, 'support.lua runs inside Neovim: use tests/functional/run.sh')

local uv = vim.uv or vim.loop

local M = {}

local function shell_quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end
M.shell_quote = shell_quote

local function capture(cmd)
  local p = assert(io.popen(cmd, 'r'))
  local out = p:read('*a')
  p:close()
  return out
end
M.capture = capture

M.ROOT = os.getenv('PWD') or capture('pwd'):gsub('%s+$', '')
M.KITH_BIN = os.getenv('KITH_BIN') or (M.ROOT .. '/build/kith')
M.TODAY = '2026-11-26'
M.EXAMPLE_VAULT = M.ROOT .. '/examples/vault'
-- Unmodified copies of the picker and completion plugins kith integrates with, and lazy.nvim
-- (for Neovim 0.10 and later: none of them supports 0.7.2): $KITH_TEST_PLUGINS, else
-- ../shared/test-plugins beside the repository. A clone without them still passes: the specs
-- that need them are pending, with the reason (M.missing_plugins).
M.TEST_PLUGINS = os.getenv('KITH_TEST_PLUGINS') or (M.ROOT .. '/../shared/test-plugins')
M.TEST_PLUGINS_FROM_ENV = os.getenv('KITH_TEST_PLUGINS') ~= nil
M.MAX_WAIT = 5000

-- JSON ------------------------------------------------------------------------------------

-- vim.json (Neovim's cjson); `null` decodes to vim.NIL, the sentinel API results use too.
M.json_decode = vim.json.decode
M.json_null = vim.NIL

-- Files and the command line ---------------------------------------------------------------

local temp_dirs = {}

--- A fresh empty directory (removed by teardown()).
function M.temp_dir()
  local name = os.tmpname()
  os.remove(name)
  assert(os.execute('mkdir -p ' .. shell_quote(name)))
  local real = capture('realpath ' .. shell_quote(name)):gsub('%s+$', '')
  table.insert(temp_dirs, real)
  return real
end

--- Copies a vault (default examples/vault, hidden files included) to a temp dir; returns
--- the copy's absolute, symlink-free path.
function M.copy_vault(src)
  local dir = M.temp_dir()
  local dest = dir .. '/vault'
  assert(os.execute('cp -r ' .. shell_quote(src or M.EXAMPLE_VAULT) .. ' ' .. shell_quote(dest)))
  return dest
end

function M.read_file(path)
  local f = io.open(path, 'rb')
  if not f then
    return nil
  end
  local data = f:read('*a')
  f:close()
  return data
end

function M.write_file(path, data)
  local f = assert(io.open(path, 'wb'))
  f:write(data)
  f:close()
end

function M.append_file(path, data)
  local f = assert(io.open(path, 'ab'))
  f:write(data)
  f:close()
end

function M.lines_of(path)
  local out = {}
  for line in (assert(M.read_file(path), 'cannot read ' .. path) .. '\n'):gmatch('(.-)\n') do
    table.insert(out, line)
  end
  if out[#out] == '' then
    table.remove(out)
  end
  return out
end

--- `kith balances --json --today TODAY VAULT`, decoded.
function M.balances(vault)
  local out = capture(('%s balances --json --today %s %s 2>/dev/null'):format(
    shell_quote(M.KITH_BIN), M.TODAY, shell_quote(vault)))
  assert(out:match('^%s*{'), 'kith balances --json printed no JSON: ' .. out)
  return M.json_decode(out)
end

--- handle -> contact, from M.balances().
function M.contacts(vault)
  local out = {}
  for _, c in ipairs(M.balances(vault).contacts) do
    out[c.handle] = c
  end
  return out
end

--- `kith check --json VAULT`, decoded (the list of diagnostics).
function M.check(vault)
  local out = capture(('%s check --json %s 2>/dev/null'):format(shell_quote(M.KITH_BIN), shell_quote(vault)))
  return M.json_decode(out).diagnostics
end

local HINTS = {
  overdue = 'follow-up overdue',
  dormant = 'dormant — reach out',
  owe = 'your turn to give',
  ['let-them-help'] = 'let them return the favour',
}

--- The annotation SPEC §5 prescribes for a contact of the balances JSON (with
--- annotations.due on, the default, unless `due` is false: an ok contact due within 7 days
--- shows `due in Nd`, `due today` at 0).
function M.annotation_for(c, due)
  -- (v3) After the v2 text: ` · N open asks`, ` · birthday in Nd` within 7 days.
  local function v3(text)
    local asks = c.asks and #c.asks or 0
    if asks > 0 then
      text = text .. (' · %d open ask%s'):format(asks, asks == 1 and '' or 's')
    end
    if c.birthday_in ~= nil and c.birthday_in ~= M.json_null and c.birthday_in <= 7 then
      text = text .. (c.birthday_in == 0 and ' · birthday today' or (' · birthday in %dd'):format(c.birthday_in))
    end
    return text
  end
  if c.status == 'new' then
    return v3('give first')
  end
  if c.status == 'overdue' and c.interactions == 0 then
    return v3(HINTS.overdue)
  end
  local bal = c.balance == 0 and '±0' or (c.balance > 0 and '+' .. c.balance or tostring(c.balance))
  local text = ('↑%d ↓%d %s · %dd'):format(c.gave, c.got, bal, c.days_since_last)
  local snoozed = c.snoozed_until ~= nil and c.snoozed_until ~= M.json_null
  if c.status ~= 'ok' then
    text = text .. ' · ' .. assert(HINTS[c.status], 'unknown status ' .. tostring(c.status))
  elseif snoozed then -- (v3) instead of a due hint
    text = text .. ' · snoozed to ' .. c.snoozed_until
  elseif due ~= false and c.due_in ~= M.json_null and c.due_in >= 0 and c.due_in <= 7 then
    text = text .. ' · ' .. (c.due_in == 0 and 'due today' or ('due in %dd'):format(c.due_in))
  end
  return v3(text)
end

--- {relative path -> {line -> annotation}} for every declaring heading of the vault.
function M.expected_annotations(vault)
  local out = {}
  for _, c in ipairs(M.balances(vault).contacts) do
    for _, d in ipairs(c.declared) do
      out[d.path] = out[d.path] or {}
      -- The first handle of a heading declares it: one contact per heading line.
      assert(out[d.path][d.line] == nil, 'two contacts declared at ' .. d.path .. ':' .. d.line)
      out[d.path][d.line] = M.annotation_for(c)
    end
  end
  return out
end

-- Neovim -------------------------------------------------------------------------------------

local chan -- job id = RPC channel of the Neovim under test, nil when none runs
local stderr_tail = '' -- its stderr is passed on to the runner's, line by line

local function now_ms()
  return uv.hrtime() / 1e6
end
M.now_ms = now_ms

-- vim.rpcrequest on the channel: ok, result or ok = false, the error's message.
local function call(method, ...)
  assert(chan, 'nvim is not running: call start() first')
  return pcall(vim.rpcrequest, chan, method, ...)
end

--- Sends an API request; raises (with the method name) on error. Returns the result.
function M.request(method, ...)
  local ok, res = call(method, ...)
  if not ok then
    error(('%s failed: %s'):format(method, tostring(res)), 2)
  end
  return res
end

--- Like request(), but returns ok, result_or_error instead of raising.
function M.try_request(method, ...)
  local ok, res = call(method, ...)
  if not ok then
    return false, tostring(res)
  end
  return true, res
end

--- Runs Lua in nvim (`...` are the arguments, nil included); returns its result.
function M.exec_lua(code, ...)
  local args = { n = select('#', ...), ... }
  for i = 1, args.n do
    if args[i] == nil then
      args[i] = vim.NIL
    end
  end
  args.n = nil
  return M.request('nvim_exec_lua', code, args)
end

function M.command(cmd)
  return M.request('nvim_command', cmd)
end

--- Output of an Ex command (e.g. 'messages').
function M.exec_capture(cmd)
  return M.request('nvim_exec', cmd, true)
end

--- Lets nvim run its event loop for `ms` undisturbed (host updates, vim.schedule callbacks,
--- timers): the runner waits without sending anything.
function M.sleep(ms)
  vim.wait(ms)
end

--- Polls fn() until it returns a truthy value (returned) or timeout_ms passes (error naming
--- `what` and, if given, describe() — e.g. what was seen instead).
function M.wait_for(fn, timeout_ms, what, describe)
  timeout_ms = math.min(timeout_ms or 1000, M.MAX_WAIT)
  local deadline = now_ms() + timeout_ms
  local last_err
  while true do
    local ok, res = pcall(fn)
    if ok and res then
      return res
    end
    last_err = not ok and res or nil
    if now_ms() >= deadline then
      break
    end
    M.sleep(20)
  end
  local seen = describe and ('; seen: ' .. tostring(describe())) or ''
  if last_err then
    seen = seen .. '; last error: ' .. tostring(last_err)
  end
  error(('timed out after %d ms waiting for %s%s'):format(timeout_ms, what or 'a condition', seen), 2)
end

local function on_stderr(_, data)
  -- data: the chunk split at newlines; its last item continues in the next chunk.
  data[1] = stderr_tail .. data[1]
  stderr_tail = table.remove(data)
  for _, line in ipairs(data) do
    io.stderr:write('nvim: ', line, '\n')
  end
end

--- Starts `nvim --embed --headless` with `args` (a list) after those flags, nothing else:
--- no kith unless the arguments load it. `env`: variables set in its environment (Neovim
--- 0.10+: jobstart's env). Returns the channel.
function M.spawn(args, env)
  assert(not chan, 'nvim already running')
  local argv = { vim.v.progpath, '--embed', '--headless' }
  vim.list_extend(argv, args)
  local job = vim.fn.jobstart(argv, { rpc = true, on_stderr = on_stderr, env = env })
  assert(job > 0, 'cannot start ' .. vim.v.progpath .. ' (jobstart: ' .. job .. ')')
  chan = job
  return chan
end

--- Why a spec that needs the named test plugins (folders of TEST_PLUGINS) cannot run here, or
--- nil when it can: Neovim older than 0.10 (none of them supports 0.7.2), or a plugin missing.
--- In an it(): `local why = t.missing_plugins(...) if why then return pending(why) end`
--- (busted's pending() exists only in the spec file's environment).
function M.missing_plugins(...)
  if vim.fn.has('nvim-0.10') == 0 then
    local v = vim.version()
    return ('needs Neovim 0.10 (this is %d.%d)'):format(v.major, v.minor)
  end
  for _, name in ipairs({ ... }) do
    if vim.fn.isdirectory(M.TEST_PLUGINS .. '/' .. name) == 0 then
      return ('%s not found: set KITH_TEST_PLUGINS (looked in %s)'):format(name, M.TEST_PLUGINS)
    end
  end
  return nil
end

--- Starts nvim with kith. opts.setup: options merged over {today = TODAY, cmd = KITH_BIN}
--- (false: do not call setup()). opts.cwd: nvim's working directory. opts.plugins: names of
--- test plugins (folders of TEST_PLUGINS) added to 'runtimepath' (their plugin/ files run). Returns the channel.
function M.start(opts)
  opts = opts or {}
  local args = { '-u', 'NONE', '-i', 'NONE', '-n', '--cmd', 'set rtp^=' .. M.ROOT }
  for _, name in ipairs(opts.plugins or {}) do
    local dir = M.TEST_PLUGINS .. '/' .. name
    assert(vim.fn.isdirectory(dir) == 1, 'no test plugin ' .. name .. ' in ' .. M.TEST_PLUGINS)
    vim.list_extend(args, { '--cmd', 'set rtp+=' .. dir })
  end
  M.spawn(args)
  if opts.cwd then
    M.command('cd ' .. opts.cwd)
  end
  M.command('filetype on')
  M.command('runtime! plugin/kith.lua')
  for _, name in ipairs(opts.plugins or {}) do
    M.exec_lua([[
      for _, f in ipairs(vim.fn.glob(... .. '/plugin/**/*.{vim,lua}', false, true)) do
        vim.cmd('source ' .. vim.fn.fnameescape(f))
      end
    ]], M.TEST_PLUGINS .. '/' .. name)
  end
  if opts.setup ~= false then
    local setup = { today = M.TODAY, cmd = M.KITH_BIN }
    for k, v in pairs(opts.setup or {}) do
      setup[k] = v
    end
    M.exec_lua('require("kith").setup(...)', setup)
  end
  return chan
end

function M.running()
  return chan ~= nil
end

--- The host's pid, or nil.
function M.host_pid()
  return M.exec_lua("return require('kith.host').pid()")
end

--- Runs a shell command; true when it exits 0 (Lua 5.1 and 5.2 alike).
function M.sh(cmd)
  local a, _, c = os.execute(cmd)
  if type(a) == 'number' then
    return a == 0
  end
  return a == true and (c == nil or c == 0)
end

local function pid_alive(pid)
  return pid ~= nil and M.sh('kill -0 ' .. tonumber(pid) .. ' 2>/dev/null')
end
M.pid_alive = pid_alive

--- Quits nvim (qa!, SIGKILL after 2 s), makes sure the kith host it ran is gone too, and
--- removes the temp dirs.
function M.teardown()
  if chan then
    local ok, host_pid = pcall(M.host_pid)
    host_pid = ok and type(host_pid) == 'number' and host_pid or nil
    local pid = vim.fn.jobpid(chan)
    pcall(vim.rpcnotify, chan, 'nvim_command', 'qa!')
    if vim.fn.jobwait({ chan }, 2000)[1] == -1 then
      io.stderr:write('support: nvim did not quit within 2 s; killing it\n')
      uv.kill(pid, 'sigkill')
      vim.fn.jobwait({ chan }, 2000)
    end
    vim.wait(0) -- its last stderr
    if stderr_tail ~= '' then
      io.stderr:write('nvim: ', stderr_tail, '\n')
    end
    chan, stderr_tail = nil, ''
    -- The host's stdin closes with nvim: it should exit by itself.
    if host_pid then
      local until_ms = now_ms() + 2000
      while pid_alive(host_pid) and now_ms() < until_ms do
        vim.wait(20)
      end
      if pid_alive(host_pid) then
        io.stderr:write(('support: kith host %d outlived nvim; killing it\n'):format(host_pid))
        os.execute('kill -9 ' .. host_pid .. ' 2>/dev/null')
      end
    end
  end
  for _, dir in ipairs(temp_dirs) do
    os.execute('rm -rf ' .. shell_quote(dir))
  end
  temp_dirs = {}
end

-- What the user sees ------------------------------------------------------------------------

--- Opens a file in the current window and returns its buffer number.
function M.edit(path)
  return M.exec_lua([[
    vim.cmd('edit ' .. vim.fn.fnameescape(...))
    return vim.api.nvim_get_current_buf()
  ]], path)
end

--- Buffer number of a file (opened in a hidden buffer when not loaded yet when load = true).
function M.bufnr(path)
  return M.exec_lua('return vim.fn.bufnr(...)', path)
end

--- kith's extmarks in `buf` (default current): list of {line (1-based), col (0-based),
--- text = concatenated virt_text chunks, hl = {groups}, pos = virt_text_pos}.
function M.extmarks(buf)
  return M.exec_lua([[
    local buf = ... or 0
    local ns = vim.api.nvim_create_namespace('kith')
    local out = {}
    for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })) do
      local d = m[4] or {}
      local text, hl = {}, {}
      for _, chunk in ipairs(d.virt_text or {}) do
        table.insert(text, chunk[1])
        table.insert(hl, chunk[2] or '')
      end
      table.insert(out, { line = m[2] + 1, col = m[3], text = table.concat(text),
        hl = hl, pos = d.virt_text_pos or '' })
    end
    return out
  ]], buf or 0)
end

--- {line (1-based) -> annotation text} in `buf` (default current). Two marks on one line
--- are joined with ' | ' so a duplicate shows.
function M.annotations(buf)
  local out = {}
  for _, m in ipairs(M.extmarks(buf)) do
    out[m.line] = out[m.line] and (out[m.line] .. ' | ' .. m.text) or m.text
  end
  return out
end

--- vim.diagnostic.get(buf) (default current): list of {lnum, col (0-based), severity
--- ('ERROR'|'WARN'|'INFO'|'HINT'), message, source, ns}, sorted by position.
function M.diagnostics(buf)
  return M.exec_lua([[
    local buf = ... or 0
    local names = {}
    for k, v in pairs(vim.diagnostic.severity) do
      if type(k) == 'string' and #k > 1 then names[v] = k end
    end
    local kith_ns = vim.api.nvim_create_namespace('kith')
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(out, { lnum = d.lnum, col = d.col, severity = names[d.severity] or tostring(d.severity),
        message = d.message, source = d.source or '', kith = d.namespace == kith_ns })
    end
    table.sort(out, function(a, b)
      if a.lnum ~= b.lnum then return a.lnum < b.lnum end
      return a.col < b.col
    end)
    return out
  ]], buf or 0)
end

--- Lines of :messages.
function M.messages()
  local out = {}
  for line in (M.exec_capture('messages') .. '\n'):gmatch('(.-)\n') do
    if line ~= '' then
      table.insert(out, line)
    end
  end
  return out
end

--- A readable one-line dump of a table (for failure messages).
function M.dump(v, depth)
  depth = depth or 0
  if type(v) ~= 'table' or depth > 4 then
    return type(v) == 'string' and ('%q'):format(v) or tostring(v)
  end
  local keys = {}
  for k in pairs(v) do
    table.insert(keys, k)
  end
  table.sort(keys, function(a, b)
    if type(a) == type(b) and (type(a) == 'number' or type(a) == 'string') then
      return a < b
    end
    return type(a) < type(b)
  end)
  local parts = {}
  for _, k in ipairs(keys) do
    table.insert(parts, ('[%s]=%s'):format(tostring(k), M.dump(v[k], depth + 1)))
  end
  return '{' .. table.concat(parts, ', ') .. '}'
end

-- What a user does and reads (support_user.lua) ----------------------------------------------

require('support_user').install(M)

return M
