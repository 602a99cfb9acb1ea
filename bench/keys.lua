-- Typed-keys benchmark (run by bench/editor.sh with lua5.2 + Debian's lua-nvim client).
-- A client types 1,000 keys into a real `nvim --embed` with a UI attached (so Neovim
-- redraws as it does for a person), one key per nvim_input call, paced at 2 ms. Measured:
-- the CPU time (user + system) Neovim itself spends, with kith following the buffer and
-- with the same text in a buffer kith does not follow. Rounds alternate; medians reported.
local Session = require('nvim.session')
local ChildProcessStream = require('nvim.child_process_stream')

local root, kith, vault, note, plain, rounds = ...
rounds = tonumber(rounds) or 7

local function sleep_ms(s, ms)
  s:request('nvim_command', ('sleep %dm'):format(ms))
end

local s = Session.new(ChildProcessStream.spawn({ 'nvim', '--embed', '--headless', '-u', 'NONE',
  '-i', 'NONE', '-n', '--cmd', 'set rtp^=' .. root }))
local function lua(code, ...)
  local ok, res = s:request('nvim_exec_lua', code, { ... })
  if not ok then
    error(type(res) == 'table' and tostring(res[2]) or tostring(res))
  end
  return res
end
assert(s:request('nvim_ui_attach', 120, 40, { ext_linegrid = true }))
s:request('nvim_command', 'filetype on')
s:request('nvim_command', 'runtime! plugin/kith.lua')
lua([[require('kith').setup({ today = '2026-11-26', cmd = ..., vault = select(2, ...) })]], kith, vault)
s:request('nvim_command', 'edit ' .. note)
local followed = lua('return vim.api.nvim_get_current_buf()')
for _ = 1, 600 do -- wait for the index and the first annotations (up to 60 s)
  if lua([[return #vim.api.nvim_buf_get_extmarks(0, vim.api.nvim_create_namespace('kith'), 0, -1, {})]]) > 0 then
    break
  end
  sleep_ms(s, 100)
end
s:request('nvim_command', 'edit ' .. plain)
local unfollowed = lua('return vim.api.nvim_get_current_buf()')

local function cpu()
  return lua('local r = vim.loop.getrusage(); return (r.utime.sec + r.stime.sec) * 1e6 + r.utime.usec + r.stime.usec')
end

local keys = {}
local item = '- 2026-11-26 #gave coffee and intro to the team'
while #keys < 998 do
  for c in item:gmatch('.') do
    table.insert(keys, c == '<' and '<lt>' or c)
  end
  table.insert(keys, '<CR>')
end
while #keys > 998 do
  table.remove(keys)
end

local function type_into(buf)
  s:request('nvim_command', 'buffer ' .. buf)
  s:request('nvim_command', 'normal! 6G')
  local t0 = cpu()
  s:request('nvim_input', 'o')
  for _, k in ipairs(keys) do
    s:request('nvim_input', k)
    sleep_ms(s, 2)
  end
  s:request('nvim_input', '<Esc>')
  sleep_ms(s, 100) -- let pending updates (kith's debounce) land inside the measurement
  return (cpu() - t0) / 1000
end

local with, without = {}, {}
for _ = 1, rounds do
  table.insert(with, type_into(followed))
  table.insert(without, type_into(unfollowed))
end
table.sort(with)
table.sort(without)
local m = math.ceil(rounds / 2)
print(('keys_cpu_with_ms=%.1f'):format(with[m]))
print(('keys_cpu_without_ms=%.1f'):format(without[m]))
print(('keys_cpu_ratio=%.3f'):format(with[m] / without[m]))
s:request('nvim_command', 'qa!')
