-- The kith host process: start it, talk to it, and bring it back when it dies.
local uv = require('kith.compat').uv
local config = require('kith.config')

local M = {}

local state = {
  chan = nil, -- the running host's channel
  starts = {}, -- uv times (ms) of recent unexpected exits, for the restart cap
  warned_missing = false,
  listeners = {}, -- functions called after every (re)start
}

local MAX_RESTARTS = 5 -- within RESTART_WINDOW
local RESTART_WINDOW = 60000

local function notify(msg, level)
  vim.schedule(function()
    vim.notify(msg, level or vim.log.levels.INFO)
  end)
end

--- The plugin's root directory (where `make` builds build/kith).
function M.root()
  local src = debug.getinfo(1, 'S').source:sub(2)
  return vim.fn.fnamemodify(src, ':p:h:h:h')
end

--- The binary kith runs.
function M.cmd()
  local cmd = config.get().cmd
  if cmd then
    return vim.fn.expand(cmd)
  end
  return M.root() .. '/build/kith'
end

--- Registers fn(chan) to run after each start (used to re-attach buffers).
function M.on_start(fn)
  table.insert(state.listeners, fn)
end

local start

local function on_exit(job, code)
  if state.chan ~= job or state.exiting then
    return -- an old host we stopped on purpose, or Neovim is quitting
  end
  state.chan = nil
  local now = uv.now()
  local recent = {}
  for _, t in ipairs(state.starts) do
    if now - t < RESTART_WINDOW then
      table.insert(recent, t)
    end
  end
  table.insert(recent, now)
  state.starts = recent
  if #recent > MAX_RESTARTS then
    notify(('kith: the host keeps exiting (code %d); run :Kith restart to try again'):format(code),
      vim.log.levels.ERROR)
    return
  end
  notify(('kith: the host exited (code %d); restarting it'):format(code), vim.log.levels.WARN)
  local delay = 100 * 2 ^ (#recent - 1)
  vim.defer_fn(function()
    if not state.chan then
      start()
    end
  end, delay)
end

start = function()
  if not state.leave_hooked then
    state.leave_hooked = true
    vim.api.nvim_create_autocmd('VimLeavePre', {
      group = vim.api.nvim_create_augroup('kith_host', { clear = true }),
      callback = function()
        state.exiting = true
      end,
    })
  end
  local cmd = M.cmd()
  if vim.fn.executable(cmd) ~= 1 then
    if not state.warned_missing then
      state.warned_missing = true
      notify(('kith: no kith binary at %s; build it with `make` in %s'):format(cmd, M.root()),
        vim.log.levels.ERROR)
    end
    return nil
  end
  local ok, chan = pcall(vim.fn.jobstart, { cmd, 'serve' }, {
    rpc = true,
    on_exit = function(job, code)
      on_exit(job, code)
    end,
    on_stderr = function() end,
  })
  if not ok or chan <= 0 then
    notify('kith: cannot start ' .. cmd, vim.log.levels.ERROR)
    return nil
  end
  state.chan = chan
  pcall(vim.rpcnotify, chan, 'kith_configure', config.host_options())
  for _, fn in ipairs(state.listeners) do
    fn(chan)
  end
  return chan
end

--- The host's channel, starting it when needed; nil when it cannot run.
function M.ensure()
  return state.chan or start()
end

--- The channel if the host runs, else nil (never starts it).
function M.channel()
  return state.chan
end

--- Sends a notification (never blocks). Returns true when sent.
function M.notify(method, ...)
  local chan = M.ensure()
  if not chan then
    return false
  end
  return (pcall(vim.rpcnotify, chan, method, ...))
end

--- Makes sure the host indexes `vault` and waits (up to `timeout` ms, default 60 s) until it
--- is ready, showing what happens. Returns true when ready, else false and a message.
function M.wait_vault(vault, timeout)
  local ok, res = M.request('kith_vault', vault)
  if not ok then
    return false, res
  end
  if res.ready then
    return true
  end
  vim.api.nvim_echo({ { 'kith: indexing ' .. vault .. '…' } }, false, {})
  local ready = vim.wait(timeout or 60000, function()
    local okr, st = M.request('kith_vault', vault)
    return not okr or st.ready
  end, 50)
  if not ready then
    return false, 'kith: still indexing ' .. vault .. '; try again in a moment'
  end
  return true
end

--- The contacts of `vault`, most recent first ({handle, name, status, annotation, path,
--- line}), once it is indexed (waiting up to `timeout` ms). Returns the list, or nil and a
--- message.
function M.contacts(vault, timeout)
  local ready, problem = M.wait_vault(vault, timeout)
  if not ready then
    return nil, problem
  end
  local ok, contacts = M.request('kith_contacts', vault)
  if not ok then
    return nil, contacts
  end
  return contacts
end

--- Waits (up to `timeout` ms, default 2000) until the host has buffer `buf`'s current text, so
--- that a request about the buffer answers for what the user sees (right after :edit the host
--- may not have had the buffer's lines yet). Returns true, or false and a message.
function M.sync(buf, timeout)
  local tick = vim.api.nvim_buf_get_changedtick(buf)
  local function synced()
    local ok, seen = M.request('kith_tick', buf)
    return ok and seen == tick
  end
  if synced() or vim.wait(timeout or 2000, synced, 5) then
    return true
  end
  return false, 'kith: the host has not caught up with this buffer yet; try again'
end

--- Sends a request and waits for the answer: only for commands the user runs.
--- Returns ok, result_or_error.
function M.request(method, ...)
  local chan = M.ensure()
  if not chan then
    return false, ('kith: no kith binary at %s; build it with `make` in %s'):format(M.cmd(), M.root())
  end
  require('kith.sync').flush_all() -- the answer is about the text the user sees
  local ok, res = pcall(vim.rpcrequest, chan, method, ...)
  if not ok then
    return false, 'kith: ' .. tostring(res):gsub('^.-kith: ', '')
  end
  return true, res
end

--- Stops the host (if running) and starts a new one.
function M.restart()
  local old = state.chan
  state.chan = nil
  state.starts = {}
  state.warned_missing = false
  if old then
    pcall(vim.fn.jobstop, old)
  end
  return start()
end

--- The pid of the running host, or nil.
function M.pid()
  if not state.chan then
    return nil
  end
  local ok, pid = pcall(vim.fn.jobpid, state.chan)
  return ok and pid or nil
end

return M
