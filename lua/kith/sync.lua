-- Gives the host the text of the buffers it follows. The host asks for a buffer with
-- attach(buf) (through nvim_exec_lua) and gets its whole text at once; after that Neovim calls
-- on_lines here for every change, and the changes are merged into one range and sent as one
-- `nvim_buf_lines_event` once `debounce` ms pass without a change. The host reads the same
-- events Neovim would send a remote client attached with nvim_buf_attach, but not one per
-- keystroke: writing to the host's pipe and waking it up on every key was most of what kith
-- cost Neovim per key (doc/DESIGN.md, "What kith costs Neovim").
local uv = require('kith.compat').uv
local config = require('kith.config')

local M = {}

-- config.get().debounce, read when a buffer is attached and whenever the options change
-- (M.configure), not on every change.
local debounce = 30

-- buf -> {timer, flush, first, old_last, new_last}, one table per attachment: callbacks that
-- find another table (or none) for their buffer are an earlier attachment's, and detach;
-- first/old_last/new_last (0-based, end-exclusive), when set, say that the lines
-- [first, old_last) the host has became [first, new_last).
local state = {}

local function channel()
  return require('kith.host').channel()
end

local function notify(method, ...)
  local chan = channel()
  if chan then
    pcall(vim.rpcnotify, chan, method, ...)
  end
end

--- Sends `buf`'s changes not sent yet (now, whatever the debounce).
function M.flush(buf)
  local st = state[buf]
  if not st or not st.first then
    return
  end
  local first, old_last, new_last = st.first, st.old_last, st.new_last
  st.first, st.old_last, st.new_last = nil, nil, nil
  st.armed = false
  st.timer:stop()
  if not vim.api.nvim_buf_is_loaded(buf) then
    return
  end
  local lines = vim.api.nvim_buf_get_lines(buf, first, new_last, false)
  notify('nvim_buf_lines_event', buf, vim.api.nvim_buf_get_changedtick(buf), first, old_last, lines, false)
end

--- Sends every buffer's changes not sent yet (before a request whose answer depends on them).
function M.flush_all()
  for buf, st in pairs(state) do
    if st.first then
      M.flush(buf)
    end
  end
end

-- The whole text, replacing whatever the host had (lastline -1, as Neovim's send_buffer).
local function send_all(buf)
  local st = state[buf]
  st.first, st.old_last, st.new_last = nil, nil, nil
  st.armed = false
  st.timer:stop()
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  notify('nvim_buf_lines_event', buf, vim.api.nvim_buf_get_changedtick(buf), 0, -1, lines, false)
end

local function close(buf)
  local st = state[buf]
  if st then
    state[buf] = nil
    st.timer:stop()
    st.timer:close()
  end
end

--- Merges a change (lines [first, old_last) became [first, new_last), as on_lines says) into
--- `p`, the changes pending since the host's copy ({first, old_last, new_last}: its lines
--- [first, old_last) are now [first, new_last); all nil when none). Exposed for the tests.
local function merge(p, first, old_last, new_last)
  if not p.first then
    p.first, p.old_last, p.new_last = first, old_last, new_last
    return
  end
  -- In the text before this change the pending range is [p.first, p.new_last); the union with
  -- [first, old_last) ends at `e`, which in the host's copy is p.old_last + (e - p.new_last).
  local e = math.max(p.new_last, old_last)
  p.old_last = p.old_last + (e - p.new_last)
  p.new_last = e + (new_last - old_last)
  p.first = math.min(p.first, first)
end
M._merge = merge

--- Takes the options that matter here (setup() calls it).
function M.configure()
  debounce = config.get().debounce
end

--- Called by the host: follow `buf` and send its whole text. Returns false when the buffer is
--- not loaded (the host then stops following it). Again on a buffer followed already: sends the
--- whole text again (the host's copy may be wrong).
function M.attach(buf)
  if not vim.api.nvim_buf_is_loaded(buf) then
    return false
  end
  debounce = config.get().debounce
  if state[buf] then
    send_all(buf)
    return true
  end
  -- This attachment's state; the callbacks hold it as an upvalue. on_lines runs on every
  -- change, so it does as little as it can: it merges the change, notes the time (the loop's,
  -- no clock read) and arms the timer only when it is not armed already. Restarting the timer
  -- on every key was most of what kith cost a keystroke (doc/DESIGN.md, "What kith costs
  -- Neovim"); instead, when the timer fires (a fast callback: no API call there) before
  -- `debounce` ms have passed since the last change, it waits for the rest, between keys.
  local st = { timer = uv.new_timer(), armed = false, last = 0 }
  local function stale()
    return state[buf] ~= st
  end
  st.flush = vim.schedule_wrap(function()
    if not stale() then
      M.flush(buf)
    end
  end)
  local timer, flush, now = st.timer, st.flush, uv.now
  local fire
  fire = function()
    local wait = st.last + debounce - now()
    if wait > 0 and st.armed then
      timer:start(wait, 0, fire)
    else
      st.armed = false
      flush()
    end
  end
  local ok = vim.api.nvim_buf_attach(buf, false, {
    on_lines = function(_, _, _, first, old_last, new_last)
      if state[buf] ~= st then
        return true
      end
      merge(st, first, old_last, new_last)
      st.last = now()
      if not st.armed then
        st.armed = true
        timer:start(debounce, 0, fire)
      end
    end,
    on_changedtick = function(_, _, tick)
      if stale() then
        return true
      end
      M.flush(buf)
      notify('nvim_buf_changedtick_event', buf, tick)
    end,
    on_reload = function()
      if not stale() then
        send_all(buf)
      end
    end,
    on_detach = function()
      if not stale() then
        close(buf)
        notify('nvim_buf_detach_event', buf)
      end
    end,
  })
  if not ok then
    st.timer:close()
    return false
  end
  state[buf] = st
  send_all(buf)
  return true
end

--- Called by the host: stop following `buf`. Answers with a detach event, as Neovim does.
function M.detach(buf)
  close(buf)
  notify('nvim_buf_detach_event', buf)
  return true
end

return M
