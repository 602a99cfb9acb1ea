-- Quick logging: `- {today} #gave {text}` for the contact at the cursor, in one undo step.
local host = require('kith.host')
local config = require('kith.config')

local M = {}

M.tags = { give = '#gave', receive = '#got', met = '#met' }
local verbs = { give = 'gave', receive = 'got', met = 'met' }

function M.today()
  return config.get().today or os.date('%Y-%m-%d')
end

local function err(msg)
  vim.notify(msg, vim.log.levels.ERROR)
end

-- The buffer's contact headings: {handle, line, end_line, last_item} (1-based lines), for
-- its current text.
function M.outline(buf)
  local synced, problem = host.sync(buf)
  if not synced then
    return nil, problem
  end
  local ok, res = host.request('kith_outline', buf)
  if not ok then
    return nil, res
  end
  return res
end

-- The innermost contact section around `line` (1-based), or nil.
function M.section_at(sections, line)
  local best
  for _, s in ipairs(sections) do
    if s.line <= line and line <= s.end_line and (not best or s.line > best.line) then
      best = s
    end
  end
  return best
end

local function handle_under_cursor()
  local word = vim.fn.expand('<cWORD>')
  local h = word:match('@([%w_][%w_.-]*)')
  if h then
    return (h:gsub('[.-]+$', '')):lower()
  end
end

-- Calls fn(handle) with the contact chosen by the user among known contacts (the picker).
local function pick_contact(vault, fn)
  local contacts, problem = host.contacts(vault)
  if not contacts then
    return err(problem)
  end
  if #contacts == 0 then
    return err('kith: no contacts in this vault yet')
  end
  -- Most recent first (the host's order): whom you are likely logging.
  local items = {}
  for _, c in ipairs(contacts) do
    table.insert(items, {
      text = ('@%s  %s  (%s)'):format(c.handle, c.name, c.annotation),
      filename = vault .. '/' .. c.path,
      lnum = c.line,
      value = c,
    })
  end
  require('kith.pickers').pick(items, {
    prompt = 'kith: which contact?',
    on_choose = function(item)
      fn(item.value.handle)
    end,
  })
end

--- Inserts the item for `handle` (nil: find it) with `text` (nil: ask) in the current buffer.
function M.log(kind, handle, text)
  if not M.tags[kind] then
    return err(('kith: log what? %q is not give, receive or met'):format(tostring(kind)))
  end
  local buf = vim.api.nvim_get_current_buf()
  local info = require('kith').info(buf)
  if not info then
    return err('kith: this buffer is not a note in a kith vault')
  end
  local sections, problem = M.outline(buf)
  if not sections then
    return err(problem)
  end
  local cursor = vim.api.nvim_win_get_cursor(0)[1]

  local function with_text(h)
    local function insert(t)
      if t == nil then
        return -- cancelled
      end
      t = vim.trim(t)
      -- The buffer may have changed while the prompt was open: ask again where to put it.
      local now = M.outline(buf) or sections
      local own
      for _, s in ipairs(now) do
        if s.handle == h and (not own or s.line < own.line) then
          own = s
        end
      end
      local item, row
      if own then
        item = ('- %s %s%s'):format(M.today(), M.tags[kind], t ~= '' and ' ' .. t or '')
        row = own.last_item > 0 and own.last_item or own.line
      else
        item = ('- %s %s @%s%s'):format(M.today(), M.tags[kind], h, t ~= '' and ' ' .. t or '')
        row = vim.api.nvim_win_get_cursor(0)[1]
      end
      vim.api.nvim_buf_set_lines(buf, row, row, false, { item })
      vim.api.nvim_win_set_cursor(0, { row + 1, #item })
    end
    if text ~= nil then
      insert(text)
    else
      vim.ui.input({ prompt = ('kith: %s @%s: '):format(verbs[kind], h) }, insert)
    end
  end

  if handle then
    return with_text((handle:gsub('^@', '')):lower())
  end
  local here = M.section_at(sections, cursor)
  if here then
    return with_text(here.handle)
  end
  local under = handle_under_cursor()
  if under then
    return with_text(under)
  end
  pick_contact(info.vault, with_text)
end

return M
