-- Quick logging: `- {today} #gave {text}` for the contact at the cursor, in one undo step;
-- (v3) `- {today} #ask {text}` for what they need, and on an open ask's line the give that
-- answers it, with the ask ticked in the same undo step.
local host = require('kith.host')
local config = require('kith.config')

local M = {}

M.tags = { give = '#gave', receive = '#got', met = '#met', ask = '#ask' }
local prompts = { give = 'gave @%s', receive = 'got from @%s', met = 'met @%s', ask = '@%s needs' }

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

-- (v3) The open ask whose item holds `line` (the innermost), among the buffer's, or nil.
local function ask_at(buf, line)
  local ok, asks = require('kith.host').request('kith_asks', buf)
  if not ok or type(asks) ~= 'table' then
    return nil
  end
  local best
  for _, a in ipairs(asks) do
    if a.line <= line and line <= a.end_line and #a.handles > 0 and (not best or a.line > best.line) then
      best = a
    end
  end
  return best
end

-- `text` of a list item's first line with its task box ticked (`- [x] …`), the box added
-- when it has none; nil when it is not a list item's first line.
function M.ticked(text)
  local lead, rest = text:match('^(%s*[-*+]%s+)(.*)$')
  if not lead then
    lead, rest = text:match('^(%s*%d+[.)]%s+)(.*)$')
  end
  if not lead then
    return nil
  end
  local after = rest:match('^%[[ xX]%]%s*(.*)$')
  return lead .. '[x] ' .. (after or rest)
end

--- Inserts the item for `handle` (nil: find it) with `text` (nil: ask) in the current buffer.
--- Logging a give (without a handle) on an open ask's line answers that ask: the give goes to
--- its counterparty (a pick when it has several), right after the ask, and the ask is ticked,
--- in one undo step.
function M.log(kind, handle, text)
  if not M.tags[kind] then
    return err(('kith: log what? %q is not give, receive, met or ask'):format(tostring(kind)))
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
  local answering = kind == 'give' and not handle and ask_at(buf, cursor) or nil

  local function with_text(h)
    local function insert(t)
      if t == nil then
        return -- cancelled
      end
      t = vim.trim(t)
      -- The buffer may have changed while the prompt was open: ask again where things are.
      local now = M.outline(buf) or sections
      local ask = answering and ask_at(buf, answering.line)
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
      if ask then
        -- Tick the ask, then put the give right after it, as its sibling: with the handle
        -- unless the ask sits in that contact's own section.
        local first = vim.api.nvim_buf_get_lines(buf, ask.line - 1, ask.line, false)[1] or ''
        local done = M.ticked(first)
        if done then
          vim.api.nvim_buf_set_lines(buf, ask.line - 1, ask.line, false, { done })
          pcall(vim.cmd, 'undojoin')
        end
        local section = M.section_at(now, ask.line)
        local mine = section and section.handle == h
        item = (first:match('^%s*') or '') .. ('- %s %s%s%s'):format(M.today(), M.tags[kind],
          mine and '' or (' @' .. h), t ~= '' and ' ' .. t or '')
        row = ask.end_line
      end
      vim.api.nvim_buf_set_lines(buf, row, row, false, { item })
      vim.api.nvim_win_set_cursor(0, { row + 1, #item })
    end
    if text ~= nil then
      insert(text)
    else
      local prompt = ('kith: ' .. prompts[kind] .. ': '):format(h)
      vim.ui.input({ prompt = prompt }, insert)
    end
  end

  if handle then
    return with_text((handle:gsub('^@', '')):lower())
  end
  if answering then
    if #answering.handles == 1 then
      return with_text(answering.handles[1])
    end
    return vim.ui.select(answering.handles, {
      prompt = 'kith: the give answers whose ask?',
      format_item = function(h)
        return '@' .. h
      end,
    }, function(h)
      if h then
        with_text(h)
      end
    end)
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
