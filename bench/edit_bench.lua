-- bench/edit_bench.lua: what the editor costs on a large vault, in a real headless Neovim with
-- kith (run by bench/large.sh; not a test). Neovim opens one note of the vault and waits for its
-- first annotation (the host has indexed the vault); then
--   serve memory: VmRSS and VmHWM (its peak so far) of the `kith serve` process this Neovim
--                 started (require('kith.host').pid()), from /proc/<pid>/status, right after
--                 the first annotation and again after the edits;
--   edit latency: EDITS times, a line `- 2026-11-20 #gave @HANDLE bench N` is inserted under
--                 the note's first annotated contact heading and the time until that heading's
--                 annotation text changes is taken (vim.wait polling every 1 ms; the plugin's
--                 default 30 ms debounce included).
-- Run with `nvim --headless -u NONE -i NONE -n --cmd 'set rtp^=ROOT' -c 'luafile
-- bench/edit_bench.lua'`; told what to do by the environment: KITH_EDIT_KITH (the binary),
-- KITH_EDIT_VAULT, KITH_EDIT_NOTE, KITH_EDIT_N (edits, default 100), KITH_EDIT_OUT (where the
-- key=value results go).
local function env(name)
  local v = os.getenv(name)
  if not v or v == '' then
    io.stderr:write('edit_bench.lua: ' .. name .. ' is not set\n')
    vim.cmd('cquit 2')
  end
  return v
end
local kith = env('KITH_EDIT_KITH')
local vault = env('KITH_EDIT_VAULT')
local note = env('KITH_EDIT_NOTE')
local out_path = env('KITH_EDIT_OUT')
local edits = tonumber(os.getenv('KITH_EDIT_N') or '') or 100

local function fail(msg)
  io.stderr:write('edit_bench.lua: ' .. msg .. '\n')
  vim.cmd('cquit 1')
end

local hr = vim.loop.hrtime
local ns = vim.api.nvim_create_namespace('kith')

-- The annotation text on `row` of `buf` (kith's extmarks there, their virtual text joined).
local function annotation(buf, row)
  local s = {}
  for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, { row, 0 }, { row, -1 }, { details = true })) do
    for _, c in ipairs(m[4].virt_text or {}) do
      s[#s + 1] = c[1]
    end
  end
  return #s > 0 and table.concat(s) or nil
end

-- VmRSS and VmHWM (kB) of a process.
local function memory(pid)
  local f = io.open('/proc/' .. pid .. '/status', 'r')
  if not f then
    return nil
  end
  local text = f:read('*a')
  f:close()
  return tonumber(text:match('VmRSS:%s*(%d+)')), tonumber(text:match('VmHWM:%s*(%d+)'))
end

vim.o.swapfile = false
vim.cmd('filetype on')
vim.cmd('runtime! plugin/kith.lua')
require('kith').setup({ cmd = kith, vault = vault, today = '2026-11-26', debounce = 30 })

-- 1. open the note; its first annotation comes once the host has indexed the vault
local t0 = hr()
vim.cmd('edit ' .. vim.fn.fnameescape(note))
local buf = vim.api.nvim_get_current_buf()
if not vim.wait(600000, function()
  return #vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, { limit = 1 }) > 0
end, 1) then
  fail('no annotation within 600 s')
end
local open_ms = (hr() - t0) / 1e6

local pid = require('kith.host').pid()
if not pid then
  fail('no kith host running')
end
local rss_open, hwm_open = memory(pid)
if not rss_open then
  fail('cannot read /proc/' .. pid .. '/status')
end

-- 2. the first annotated contact heading (ATX, holding an @handle) and its handle
local row, handle
for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, {})) do
  local line = vim.api.nvim_buf_get_lines(buf, m[2], m[2] + 1, false)[1] or ''
  if line:match('^#+%s') then
    local h
    for cand in line:gmatch('@([%w_][%w_%.%-]*)') do
      h = cand
    end
    if h then
      row, handle = m[2], h:gsub('[%.%-]+$', '')
      break
    end
  end
end
if not row then
  fail('no annotated contact heading in ' .. note)
end

-- 3. the edits
local lat = {}
for i = 1, edits do
  local before = annotation(buf, row)
  local t = hr()
  vim.api.nvim_buf_set_lines(buf, row + 1, row + 1, false,
    { ('- 2026-11-20 #gave @%s bench %d'):format(handle, i) })
  local ok = vim.wait(10000, function()
    local now = annotation(buf, row)
    return now ~= nil and now ~= before
  end, 1)
  if not ok then
    fail(('the annotation did not change within 10 s after edit %d'):format(i))
  end
  lat[#lat + 1] = (hr() - t) / 1e6
end
local rss_end, hwm_end = memory(pid)

local sorted = vim.deepcopy(lat)
table.sort(sorted)
local function pct(p)
  return sorted[math.max(1, math.ceil(#sorted * p))]
end
local f = assert(io.open(out_path, 'w'))
local ms = {}
for i, v in ipairs(lat) do
  ms[i] = ('%.3f'):format(v)
end
f:write(('open_ms=%.1f\npid=%d\nhandle=%s\nrow=%d\nrss_open_kb=%d\nhwm_open_kb=%d\n'):format(
  open_ms, pid, handle, row, rss_open, hwm_open))
f:write(('rss_end_kb=%d\nhwm_end_kb=%d\nedits=%d\nedit_p50_ms=%.3f\nedit_p95_ms=%.3f\nlat_ms=%s\n'):format(
  rss_end or 0, hwm_end or 0, #lat, pct(0.5), pct(0.95), table.concat(ms, ' ')))
f:close()
vim.cmd('qall!')
