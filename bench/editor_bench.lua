-- Editor benchmark, run inside `nvim --headless` by bench/editor.sh (not a test).
-- Measures, in one Neovim:
--   open:  opening a ~200 KB note in a large vault until its first annotations appear
--          (includes starting the host and indexing the vault);
--   edit:  an edit to updated annotations, p50/p95 over N edits, debounce set to 0;
--   keys:  Neovim's own time to process 1,000 typed keys in a buffer kith follows vs. the
--          same text in a buffer it does not follow (ratio).
local vault, note, plain, edits = unpack(_G.KITH_BENCH)
local ns = vim.api.nvim_create_namespace('kith')
local hr = vim.loop.hrtime

local function ms(t)
  return t / 1e6
end

local function annotations(buf)
  local out = {}
  for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })) do
    local s = ''
    for _, c in ipairs(m[4].virt_text or {}) do
      s = s .. c[1]
    end
    out[m[2]] = s
  end
  return out
end

require('kith').setup({ today = '2026-11-26', debounce = 0, vault = vault })

-- 1. open
local t0 = hr()
vim.cmd('edit ' .. vim.fn.fnameescape(note))
local buf = vim.api.nvim_get_current_buf()
assert(vim.wait(120000, function()
  return next(annotations(buf)) ~= nil
end, 1), 'no annotations after opening')
local open_ms = ms(hr() - t0)

-- 2. edits: append a give under the first contact heading, wait for its annotation to change
local first_row
for row in pairs(annotations(buf)) do
  first_row = (first_row and math.min(first_row, row)) or row
end
local lat = {}
for i = 1, edits do
  local before = annotations(buf)[first_row]
  local t = hr()
  vim.api.nvim_buf_set_lines(buf, first_row + 1, first_row + 1, false,
    { ('- 2026-11-2%d #gave bench edit %d'):format(i % 6, i) })
  local ok = vim.wait(5000, function()
    local now = annotations(buf)[first_row]
    return now ~= nil and now ~= before
  end, 1)
  assert(ok, 'annotation did not follow edit ' .. i)
  table.insert(lat, ms(hr() - t))
end
table.sort(lat)
local function pct(p)
  return lat[math.max(1, math.ceil(#lat * p))]
end

-- 3. keys: 1,000 typed characters, with kith following the buffer and without
local function type_keys(b)
  vim.api.nvim_set_current_buf(b)
  vim.api.nvim_win_set_cursor(0, { math.min(first_row + 2, vim.api.nvim_buf_line_count(b)), 0 })
  -- 1,000 keys typed as a user writes notes: new items of ~50 characters, Enter between them.
  local cr = vim.api.nvim_replace_termcodes('<CR>', true, false, true)
  local keys = 'o'
  while #keys < 999 do
    local item = '- 2026-11-26 #gave coffee and intro to the team '
    keys = keys .. item:sub(1, math.min(#item, 999 - #keys - 1)) .. cr
  end
  keys = keys:sub(1, 999) .. vim.api.nvim_replace_termcodes('<Esc>', true, false, true)
  local t = hr()
  vim.api.nvim_feedkeys(keys, 'ntx', false)
  return ms(hr() - t)
end
vim.cmd('edit ' .. vim.fn.fnameescape(plain))
local plain_buf = vim.api.nvim_get_current_buf()
require('kith').detach(plain_buf)
local with, without = {}, {}
for _ = 1, 21 do
  table.insert(with, type_keys(buf))
  table.insert(without, type_keys(plain_buf))
  vim.wait(200, function()
    return false
  end)
end
table.sort(with)
table.sort(without)

local out = io.open(os.getenv('KITH_BENCH_OUT'), 'w')
out:write(('open_ms=%.1f\nedit_p50_ms=%.2f\nedit_p95_ms=%.2f\nedits=%d\nkeys_with_ms=%.3f\nkeys_without_ms=%.3f\n')
  :format(open_ms, pct(0.5), pct(0.95), #lat, with[11], without[11]))
out:close()
vim.cmd('qa!')
