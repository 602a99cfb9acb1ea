-- Setup of one Neovim typed into by bench/keys_bench.c (see bench/keys.sh): sourced with
-- `-c 'luafile bench/keys_setup.lua'`; told what to do by the environment:
--   KITH_KEYS_SIDE   'with': kith set up with the vault, the note followed and annotated;
--                    'without': the same note and options, kith not loaded
--   KITH_KEYS_KITH, KITH_KEYS_VAULT, KITH_KEYS_NOTE: the kith binary, the vault, the note
--   KITH_KEYS_START  the handle of the contact section below whose last line typing starts
--   KITH_KEYS_SYNTAX 1: `syntax on` (default off)
--   KITH_KEYS_LUA    Lua run at the end of the setup, on both sides (experiments: e.g.
--                    `vim.diagnostic.config({virtual_text = false})`)
-- Defines the functions the driver calls: kith_keys_ready() (true when ready, a string when
-- setup failed), kith_keys_start() (normal mode, cursor on the starting line, centred) and
-- kith_keys_report() (key=value lines: the updates kith applied while typing and settling, and
-- how long require('kith.view').apply took for them, without the redraw that follows).
local o = {
  side = os.getenv('KITH_KEYS_SIDE'),
  kith = os.getenv('KITH_KEYS_KITH'),
  vault = os.getenv('KITH_KEYS_VAULT'),
  note = assert(os.getenv('KITH_KEYS_NOTE'), 'keys_setup.lua: KITH_KEYS_NOTE is not set'),
  start = os.getenv('KITH_KEYS_START') or 'keys_10',
  syntax = os.getenv('KITH_KEYS_SYNTAX') == '1',
  lua = os.getenv('KITH_KEYS_LUA'),
}
local failed

vim.o.swapfile = false
vim.o.undofile = false
vim.o.shortmess = vim.o.shortmess .. 'IF'
vim.cmd('filetype on')
if o.syntax then
  vim.cmd('syntax on')
end

local ns
if o.side == 'with' then
  vim.cmd('runtime! plugin/kith.lua')
  local ok, err = pcall(function()
    require('kith').setup({ today = '2026-11-26', cmd = o.kith, vault = o.vault })
  end)
  if not ok then
    failed = 'kith setup: ' .. tostring(err)
  end
  ns = vim.api.nvim_create_namespace('kith')
end
vim.cmd('edit ' .. vim.fn.fnameescape(o.note))
local buf = vim.api.nvim_get_current_buf()

-- The last non-blank line of the start contact's section (1-based).
local function start_line()
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local heading
  for i, l in ipairs(lines) do
    if not heading and l:match('^#+ .*@' .. o.start .. '$') then
      heading = i
    elseif heading and l:match('^#+ ') then
      local last = i - 1
      while last > heading and lines[last] == '' do
        last = last - 1
      end
      return last
    end
  end
  error('keys_setup.lua: no section @' .. o.start .. ' followed by another in ' .. o.note)
end

function _G.kith_keys_ready()
  if failed then
    return failed
  end
  if o.side ~= 'with' then
    return true
  end
  -- the annotations (and the diagnostics: they come with them) are shown
  return #vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, {}) > 0
end

-- kith's updates: the time view.apply takes (timed from the first kith_keys_start()).
local applies = {}
local timing = false
if o.side == 'with' then
  local view = require('kith.view')
  local apply = view.apply
  view.apply = function(...)
    local t0 = vim.loop.hrtime()
    local res = apply(...)
    if timing and res == true then
      applies[#applies + 1] = (vim.loop.hrtime() - t0) / 1e6
    end
    return res
  end
end

function _G.kith_keys_report()
  if #applies == 0 then
    return 'updates=0\n'
  end
  table.sort(applies)
  local sum = 0
  for _, ms in ipairs(applies) do
    sum = sum + ms
  end
  return ('updates=%d\napply_p50_ms=%.3f\napply_p95_ms=%.3f\napply_mean_ms=%.3f\n'):format(#applies,
    applies[math.ceil(#applies * 0.5)], applies[math.ceil(#applies * 0.95)], sum / #applies)
end

function _G.kith_keys_start()
  timing = true
  vim.cmd('stopinsert')
  vim.api.nvim_set_current_buf(buf)
  vim.api.nvim_win_set_cursor(0, { start_line(), 0 })
  vim.cmd('normal! zz')
  return true
end

if o.lua and o.lua ~= '' then
  local chunk, err = loadstring(o.lua, 'KITH_KEYS_LUA')
  local ok, run_err = pcall(chunk or error, err)
  if not ok then
    failed = 'KITH_KEYS_LUA: ' .. tostring(run_err)
  end
end
