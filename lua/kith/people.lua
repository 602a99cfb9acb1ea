-- Finding people: the handle or wiki link at the cursor, one contact as the host knows it,
-- jumping to a contact, :Kith contacts and :Kith history. Each action is one request.
local uv = require('kith.compat').uv
local host = require('kith.host')

local M = {}

local function err(msg)
  vim.notify(msg, vim.log.levels.ERROR)
end

-- SPEC §1: a handle's `@` begins the text or follows a character outside [A-Za-z0-9_.+-].
local function handle_at(line, col)
  local from = 1
  while true do
    local s, e = line:find('@[%w_][%w_.-]*', from)
    if not s then
      return nil
    end
    local before = s > 1 and line:sub(s - 1, s - 1) or ''
    local handle = line:sub(s + 1, e):gsub('[.-]+$', '')
    if (before == '' or not before:match('[%w_.+-]')) and col >= s and col <= s + #handle then
      return '@' .. handle:lower()
    end
    from = e + 1
  end
end

-- The inside of the wiki link `[[...]]` around byte column `col` (1-based), or nil.
local function link_at(line, col)
  local from = 1
  while true do
    local s, e, inner = line:find('%[%[([^%[%]]+)%]%]', from)
    if not s then
      return nil
    end
    if col >= s and col <= e then
      return vim.trim(inner)
    end
    from = e + 1
  end
end

--- What the cursor of window `win` (default current) is on: `@handle` (lower case), or the
--- inside of a wiki link (`Alice Chen|Alice`), or nil.
function M.target_at_cursor(win)
  win = win or 0
  local buf = vim.api.nvim_win_get_buf(win)
  local cursor = vim.api.nvim_win_get_cursor(win)
  local line = vim.api.nvim_buf_get_lines(buf, cursor[1] - 1, cursor[1], false)[1] or ''
  local col = cursor[2] + 1
  return handle_at(line, col) or link_at(line, col)
end

--- The vault of the current buffer (else of the current directory), or nil and why.
function M.vault()
  local kith = require('kith')
  local info = kith.info(0)
  if info then
    return info.vault
  end
  local name = vim.api.nvim_buf_get_name(0)
  local path = name ~= '' and name:sub(1, 1) == '/' and name or (uv.cwd() .. '/x.md')
  local vault, why = kith.vault_for(vim.fn.fnamemodify(path, ':p'))
  if not vault then
    return nil, 'kith: no vault: ' .. why .. '; make one with :Kith init [dir]'
  end
  return vault
end

--- Asks the host (once) what `target` (`@handle` or a wiki link's inside) names in `vault`:
--- the contact ({handle, name, status, annotation, declared, first_item, followups, recent})
--- or nil; nil and a message on an error.
function M.contact(vault, target)
  local ready, problem = host.wait_vault(vault)
  if not ready then
    return nil, problem
  end
  local ok, res = host.request('kith_contact', vault, target)
  if not ok then
    return nil, res
  end
  if res == vim.NIL then
    return nil
  end
  return res
end

--- Jumps to line `lnum` of `path` (absolute), leaving the current position in the jumplist.
function M.jump(path, lnum)
  vim.cmd("normal! m'")
  local here = vim.api.nvim_buf_get_name(0)
  if here == '' or vim.fn.fnamemodify(here, ':p') ~= path then
    local ok, problem = pcall(vim.cmd, 'edit ' .. vim.fn.fnameescape(path))
    if not ok then
      return err('kith: ' .. tostring(problem):gsub('^Vim%(%a+%):', ''))
    end
  end
  local last = vim.api.nvim_buf_line_count(0)
  vim.api.nvim_win_set_cursor(0, { math.max(1, math.min(lnum, last)), 0 })
  vim.cmd('normal! zv')
end

-- Where a contact is: its first declaration; for a contact declared nowhere (one a meeting or
-- an item names), its first counted interaction.
local function declaration(contact)
  local d = contact.declared and contact.declared[1]
  if not d and type(contact.first_item) == 'table' then
    d = contact.first_item
  end
  return d
end

--- <Plug>(kith-goto): on a handle or a wiki link that names a contact, jumps to its first
--- declaration and returns true; anywhere else returns false (the caller falls back).
function M.goto_contact()
  local target = M.target_at_cursor()
  local info = require('kith').info(0)
  if not target or not info then
    return false
  end
  local contact, problem = M.contact(info.vault, target)
  if problem then
    err(problem)
    return true
  end
  if not contact then
    return false
  end
  local d = declaration(contact)
  if not d then
    vim.notify(('kith: @%s is not declared anywhere (no heading or contact note) and has no interaction; :Kith new @%s makes a note for them')
      :format(contact.handle, contact.handle), vim.log.levels.WARN)
    return true
  end
  M.jump(info.vault .. '/' .. d.path, d.line)
  return true
end

-- The order of `kith agenda`'s groups: overdue follow-ups, reach out, give first, owe, let
-- them help; then the contacts that need nothing.
M.status_order = { 'overdue', 'dormant', 'new', 'owe', 'let-them-help', 'ok' }
local status_rank = {}
for i, status in ipairs(M.status_order) do
  status_rank[status] = i
end

--- The picker entries of every contact of `vault`, status first (in the order of `kith
--- agenda`'s groups), then by handle: {text, filename, lnum, value = the contact}. Nil and a message on an error.
function M.contact_items(vault)
  local contacts, problem = host.contacts(vault)
  if not contacts then
    return nil, problem
  end
  table.sort(contacts, function(a, b)
    local ra, rb = status_rank[a.status] or 9, status_rank[b.status] or 9
    if ra ~= rb then
      return ra < rb
    end
    return a.handle < b.handle
  end)
  local items = {}
  for _, c in ipairs(contacts) do
    table.insert(items, {
      text = ('@%s  %s  %s'):format(c.handle, c.name, c.annotation),
      filename = vault .. '/' .. c.path,
      lnum = c.line,
      value = c,
    })
  end
  return items
end

--- :Kith contacts: every contact with its annotation in the picker; choosing one jumps to its
--- first declaration (an undeclared one: its first interaction).
function M.contacts()
  local vault, why = M.vault()
  if not vault then
    return err(why)
  end
  local items, problem = M.contact_items(vault)
  if not items then
    return err(problem)
  end
  if #items == 0 then
    return vim.notify('kith: no contacts in ' .. vault .. ' yet', vim.log.levels.INFO)
  end
  require('kith.pickers').pick(items, {
    prompt = 'kith contacts',
    on_choose = function(item)
      M.jump(item.filename, item.lnum)
    end,
  })
end

-- The handle of a contact named by `target`, asking the host for a wiki link.
local function resolve(vault, target)
  if target:match('^@') then
    return target:sub(2):lower()
  end
  local contact, problem = M.contact(vault, target)
  if problem then
    return nil, problem
  end
  if not contact then
    return nil, ('kith: [[%s]] names no contact'):format(target)
  end
  return contact.handle
end

-- The contact at the cursor for :Kith history: the handle or wiki link under it, else the
-- contact section around it.
local function handle_here(vault)
  local target = M.target_at_cursor()
  if target then
    return resolve(vault, target)
  end
  local section = require('kith.status').section_at(0)
  if section then
    return section.handle
  end
  return nil, 'kith: no contact at the cursor; usage: :Kith history [@handle] [pick|quickfix]'
end

--- :Kith history [@handle] [pick|quickfix]: the contact's counted interactions and follow-ups,
--- newest first (undated follow-ups first), in the picker (default) or the quickfix list.
function M.history(args)
  local vault, why = M.vault()
  if not vault then
    return err(why)
  end
  local words, how = {}, 'pick'
  for _, a in ipairs(args or {}) do
    if a == 'pick' or a == 'quickfix' then
      how = a
    else
      table.insert(words, a)
    end
  end
  local handle, problem = nil, nil
  if #words > 0 then
    handle = table.concat(words, ' ')
    local link = handle:match('^%[%[(.*)%]%]$')
    local word = link or handle
    handle, problem = resolve(vault, word)
    -- `:Kith history bob`: a name first, else a handle without its `@`
    if not handle and not link and word:match('^[%w_][%w_.-]*$') then
      handle, problem = resolve(vault, '@' .. word)
    end
  else
    handle, problem = handle_here(vault)
  end
  if not handle then
    return err(problem)
  end
  local ready, waiting = host.wait_vault(vault)
  if not ready then
    return err(waiting)
  end
  local ok, res = host.request('kith_history', vault, handle)
  if not ok then
    return err(res)
  end
  local history = vim.fn.json_decode(res)
  local items = {}
  for _, it in ipairs(history.items) do
    local what = {}
    for _, kind in ipairs({ 'gave', 'got', 'met' }) do
      if it[kind] > 0 then
        table.insert(what, kind .. ' ' .. it[kind])
      end
    end
    local date = it.date ~= vim.NIL and it.date or 'undated'
    table.insert(items, {
      text = ('%s%s  %s  %s'):format(it.planned and '[ ] ' or '', date,
        #what > 0 and table.concat(what, ', ') or 'follow-up', it.text),
      filename = vault .. '/' .. it.path,
      lnum = it.line,
      value = it,
    })
  end
  local title = ('kith history @%s (%s)'):format(history.handle, history.name)
  if #items == 0 then
    return vim.notify(('kith: nothing with @%s yet'):format(history.handle), vim.log.levels.INFO)
  end
  if how == 'quickfix' then
    local qf = {}
    for _, item in ipairs(items) do
      table.insert(qf, { filename = item.filename, lnum = item.lnum, text = item.text })
    end
    vim.fn.setqflist({}, ' ', { title = title, items = qf })
    vim.cmd('botright copen')
    return
  end
  require('kith.pickers').pick(items, {
    prompt = title,
    on_choose = function(item)
      M.jump(item.filename, item.lnum)
    end,
  })
end

return M
