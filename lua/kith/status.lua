-- The statusline: require('kith').status(). Called on every redraw, so it never asks the host:
-- it reads what the host sent with its last update (view.apply: each contact heading's section
-- and annotation; view.vault: the vault's counts). Only a handle or wiki link under the cursor
-- that is declared in no open section needs the host: that answer is asked once per update of
-- the vault (scheduled, never during the redraw) and kept until the next update.
local M = {}

local sections = {} -- buf -> {{row, end_row, handle, text}} (0-based rows, in row order)
local counts = {} -- vault root -> {overdue, reach_out}
local lookups = {} -- vault root -> {[target] = '@handle annotation' | false}
local asking = {} -- vault root .. target -> true while a lookup is scheduled

local redraw_scheduled = false
local function redraw()
  if redraw_scheduled then
    return
  end
  redraw_scheduled = true
  vim.schedule(function()
    redraw_scheduled = false
    pcall(vim.cmd, 'redrawstatus!')
  end)
end

--- Called by view.apply: the contact sections of `buf` as the host last computed them (nil:
--- forget the buffer).
function M.set_sections(buf, list)
  sections[buf] = list
end

--- Called by view.vault after each update of a vault: its counts; earlier lookups are stale.
function M.set_counts(root, c)
  local old = counts[root]
  counts[root] = { overdue = tonumber(c.overdue) or 0, reach_out = tonumber(c.reach_out) or 0 }
  local had = lookups[root] and next(lookups[root]) ~= nil
  lookups[root] = {}
  if had or not old or old.overdue ~= counts[root].overdue or old.reach_out ~= counts[root].reach_out then
    redraw()
  end
end

--- The innermost contact section around the cursor of window `win` (default current), as the
--- host last sent it: {row, end_row, handle, text}, or nil.
function M.section_at(win)
  win = win or 0
  local buf = vim.api.nvim_win_get_buf(win)
  local row = vim.api.nvim_win_get_cursor(win)[1] - 1
  local best
  for _, s in ipairs(sections[buf] or {}) do
    if s.row > row then
      break
    end
    if s.end_row >= row then
      best = s
    end
  end
  return best
end

local function lookup(vault, target)
  local known = lookups[vault] and lookups[vault][target]
  if known ~= nil then
    return known or nil
  end
  local key = vault .. '\0' .. target
  if asking[key] then
    return nil
  end
  asking[key] = true
  vim.schedule(function()
    asking[key] = nil
    if not require('kith.host').channel() then
      return
    end
    local ok, res = require('kith.host').request('kith_contact', vault, target)
    lookups[vault] = lookups[vault] or {}
    if ok and type(res) == 'table' then
      lookups[vault][target] = ('@%s %s'):format(res.handle, res.annotation)
    else
      lookups[vault][target] = false
    end
    redraw()
  end)
  return nil
end

--- The statusline text for window `win` (default: the window being drawn): the annotation of
--- the contact at the cursor (its section, else the handle or wiki link under the cursor), else
--- the vault's counts (`kith: 2 overdue · 5 to reach out`); '' outside a vault.
function M.status(win)
  win = win or 0
  local buf = vim.api.nvim_win_get_buf(win)
  local info = require('kith').info(buf)
  if not info then
    return ''
  end
  local section = M.section_at(win)
  if section and section.text ~= '' then
    return ('@%s %s'):format(section.handle, section.text)
  end
  local target = require('kith.people').target_at_cursor(win)
  if target then
    local text = lookup(info.vault, target)
    if text then
      return text
    end
  end
  local c = counts[info.vault]
  if not c then
    return ''
  end
  return ('kith: %d overdue · %d to reach out'):format(c.overdue, c.reach_out)
end

return M
