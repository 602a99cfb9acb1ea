-- <Plug>(kith-hover): a float with the contact's annotation, (v3) birthday, snooze, open asks
-- and introductions, open follow-ups and last 5 interactions (one request), closed when the cursor moves, focused by a second press (like
-- vim.lsp.util.open_floating_preview and gitsigns' preview_hunk; built on nvim_open_win so it
-- works the same on 0.7.2).
local M = {}

M.ns = vim.api.nvim_create_namespace('kith_hover')

local current -- {win, buf, source_win} of the open float

local function is_open()
  return current and vim.api.nvim_win_is_valid(current.win)
end

--- Closes the float (if open).
function M.close()
  if current and vim.api.nvim_win_is_valid(current.win) then
    pcall(vim.api.nvim_win_close, current.win, true)
  end
  current = nil
end

--- The float's window, or nil.
function M.window()
  return is_open() and current.win or nil
end

-- The lines of the float and their highlights: {lines}, {{row, col_start, col_end, group}}.
function M.render(contact)
  local lines, hls = {}, {}
  local function add(text, group)
    table.insert(lines, text)
    if group then
      table.insert(hls, { #lines - 1, 0, #text, group })
    end
  end
  add(('%s @%s'):format(contact.name, contact.handle), 'KithHoverTitle')
  add(contact.annotation, contact.status == 'ok' and 'KithBalance' or 'KithHint')
  local birthday = contact.birthday ~= vim.NIL and contact.birthday or nil
  if birthday then
    local when = birthday.days == 0 and 'today' or birthday.days == 1 and 'tomorrow'
      or ('in %d days'):format(birthday.days)
    local age = birthday.age ~= vim.NIL and birthday.age and (', turns %d'):format(birthday.age) or ''
    add(('Birthday %s (%s%s)'):format(birthday.next, when, age), birthday.days <= 7 and 'KithHint' or nil)
  end
  if contact.snoozed_until and contact.snoozed_until ~= vim.NIL then
    add(('Snoozed until %s'):format(contact.snoozed_until))
  end
  local asks = contact.asks or {}
  if #asks > 0 then
    add('')
    add(#asks == 1 and 'Open ask: what they need' or ('%d open asks: what they need'):format(#asks),
      'KithHoverSection')
    for _, a in ipairs(asks) do
      add(('  %s  %s'):format(a.date ~= vim.NIL and a.date or 'undated', a.text))
    end
  end
  local introduced = contact.introduced or {}
  if #introduced > 0 then
    add('')
    add('You introduced them to', 'KithHoverSection')
    for _, i in ipairs(introduced) do
      add(('  %s  @%s'):format(i.date, i.handle))
    end
  end
  if #contact.followups > 0 then
    add('')
    add('Follow-ups', 'KithHoverSection')
    for _, f in ipairs(contact.followups) do
      local date = f.date ~= vim.NIL and f.date or 'undated'
      add(('  %s  %s%s'):format(date, f.text, f.overdue and '  (overdue)' or ''))
      if f.overdue then
        table.insert(hls, { #lines - 1, 2, 2 + #date, 'KithOverdue' })
      end
    end
  end
  add('')
  if #contact.recent == 0 then
    add('No interactions yet', 'KithHoverSection')
  else
    add(('Last %s'):format(#contact.recent == 1 and 'interaction' or (#contact.recent .. ' interactions')),
      'KithHoverSection')
    for _, it in ipairs(contact.recent) do
      local date = it.date ~= vim.NIL and it.date or 'undated'
      add(('  %s  %s'):format(date, it.text))
    end
  end
  return lines, hls
end

--- Shows the float for `contact` (what kith_contact answers) at the cursor.
function M.open(contact)
  M.close()
  local lines, hls = M.render(contact)
  local width = 0
  for _, l in ipairs(lines) do
    width = math.max(width, vim.fn.strdisplaywidth(l))
  end
  width = math.min(width, math.max(20, vim.o.columns - 4))
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  for _, h in ipairs(hls) do
    vim.api.nvim_buf_add_highlight(buf, M.ns, h[4], h[1], h[2], h[3])
  end
  vim.bo[buf].modifiable = false
  vim.bo[buf].bufhidden = 'wipe'
  vim.bo[buf].filetype = 'kith-hover'
  local source_win = vim.api.nvim_get_current_win()
  local win = vim.api.nvim_open_win(buf, false, {
    relative = 'cursor',
    row = 1,
    col = 0,
    width = width,
    height = math.min(#lines, math.max(1, vim.o.lines - 4)),
    style = 'minimal',
    border = 'rounded',
    focusable = true,
  })
  vim.wo[win].wrap = true
  vim.keymap.set('n', 'q', M.close, { buffer = buf, nowait = true, desc = 'kith: close' })
  current = { win = win, buf = buf, source_win = source_win }
  -- Closed when the cursor moves (or the user types) in the window it belongs to; focusing the
  -- float moves no cursor there.
  local group = vim.api.nvim_create_augroup('kith_hover', { clear = true })
  local source_buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_create_autocmd({ 'CursorMoved', 'CursorMovedI', 'InsertEnter', 'BufHidden' }, {
    group = group,
    buffer = source_buf,
    callback = function()
      if vim.api.nvim_get_current_win() ~= win then
        M.close()
        pcall(vim.api.nvim_del_augroup_by_id, group)
      end
    end,
  })
  vim.api.nvim_create_autocmd('WinClosed', {
    group = group,
    pattern = tostring(win),
    callback = function()
      current = nil
      pcall(vim.api.nvim_del_augroup_by_id, group)
    end,
  })
  return win
end

--- <Plug>(kith-hover): on a handle or a wiki link naming a contact, shows the float (a second
--- press focuses it) and returns true; elsewhere returns false (the caller falls back).
function M.hover()
  if is_open() and current.source_win == vim.api.nvim_get_current_win() then
    vim.api.nvim_set_current_win(current.win)
    return true
  end
  local people = require('kith.people')
  local target = people.target_at_cursor()
  local info = require('kith').info(0)
  if not target or not info then
    return false
  end
  local contact, problem = people.contact(info.vault, target)
  if problem then
    vim.notify(problem, vim.log.levels.ERROR)
    return true
  end
  if not contact then
    return false
  end
  M.open(contact)
  return true
end

return M
