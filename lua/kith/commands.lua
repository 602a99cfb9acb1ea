-- :Kith {subcommand}: one command, subcommands with completion.
local uv = require('kith.compat').uv
local host = require('kith.host')

local M = {}

local function err(msg)
  vim.notify(msg, vim.log.levels.ERROR)
end

-- The vault of the current buffer (else of the current directory), or nil after an error.
local function current_vault()
  local kith = require('kith')
  local info = kith.info(0)
  if info then
    return info.vault
  end
  local name = vim.api.nvim_buf_get_name(0)
  local vault, why = kith.vault_for(name ~= '' and vim.fn.fnamemodify(name, ':p') or (uv.cwd() .. '/x'))
  if not vault then
    err('kith: no vault: ' .. why .. '; make one with :Kith init [dir]')
  end
  return vault
end

-- The balances JSON of the current vault (unsaved buffers count), or nil after an error.
local function balances_data()
  local vault = current_vault()
  if not vault then
    return nil
  end
  local ready, problem = host.wait_vault(vault)
  if not ready then
    err(problem)
    return nil
  end
  local ok, res = host.request('kith_balances', vault)
  if not ok then
    err(res)
    return nil
  end
  return vim.fn.json_decode(res), vault
end

M.current_vault = current_vault

local status_rank = { overdue = 0, dormant = 1, owe = 2, ['let-them-help'] = 3, new = 4, ok = 5 }

local subcommands = {}

-- :Kith init [dir]: makes dir (default: the current directory) a vault (`kith init` writes its
-- .kith) and attaches its notes.
subcommands.init = function(args)
  local root, marked = require('kith').init(args[1])
  if not root then
    return err(marked)
  end
  vim.notify(('kith: %s is a vault%s'):format(vim.fn.fnamemodify(root, ':~'),
    marked and ' (it was already: its .kith is kept)'
      or (' (created .kith with the settings its notes fit; :edit %s/.kith to see them)'):format(
        vim.fn.fnamemodify(root, ':~'))), vim.log.levels.INFO)
end

subcommands.restart = function()
  if host.restart() then
    vim.notify('kith: host restarted', vim.log.levels.INFO)
  end
end

subcommands.balances = function()
  local vault = current_vault()
  if not vault then
    return
  end
  local contacts, problem = host.contacts(vault)
  if not contacts then
    return err(problem)
  end
  local items = {}
  for _, c in ipairs(contacts) do
    table.insert(items, {
      -- at its first declaring heading, else at its first interaction
      filename = vault .. '/' .. c.path,
      lnum = c.line,
      text = ('@%s %s: %s [%s]'):format(c.handle, c.name, c.annotation, c.status),
      rank = status_rank[c.status] or 9,
      handle = c.handle,
    })
  end
  table.sort(items, function(a, b)
    if a.rank ~= b.rank then
      return a.rank < b.rank
    end
    return a.handle < b.handle
  end)
  vim.fn.setqflist({}, ' ', { title = 'kith balances', items = items })
  vim.cmd('botright copen')
end

-- :Kith agenda [days] [pick]: what to do now, in `kith agenda` order, as the quickfix list (to
-- go through one by one with :cnext) or, with `pick`, in the picker.
subcommands.agenda = function(args)
  local vault = current_vault()
  if not vault then
    return
  end
  local ready, problem = host.wait_vault(vault)
  if not ready then
    return err(problem)
  end
  local days, pick = nil, false -- nil: the vault's due_days (.kith), else 7
  for _, a in ipairs(args) do
    if a == 'pick' then
      pick = true
    elseif a == 'quickfix' then
      pick = false
    elseif tonumber(a) then
      days = tonumber(a)
    else
      return err('kith: usage: :Kith agenda [days] [pick|quickfix]')
    end
  end
  local ok, res = host.request('kith_agenda', vault, days)
  if not ok then
    return err(res)
  end
  local agenda = vim.fn.json_decode(res)
  local items = {}
  for _, it in ipairs(agenda.items) do
    local what = it.text ~= vim.NIL and it.text or it.name
    table.insert(items, {
      filename = vault .. '/' .. it.path,
      lnum = it.line,
      text = ('%s @%s: %s (%s)'):format(it.group, it.handle, what, it.reason),
      type = it.group == 'followup-overdue' and 'W' or nil,
    })
  end
  if #items == 0 then
    vim.fn.setqflist({}, ' ', { title = 'kith agenda ' .. agenda.today, items = items })
    return vim.notify('kith: nothing on the agenda in ' .. vault, vim.log.levels.INFO)
  end
  if pick then
    for _, item in ipairs(items) do
      item.value = item.text
    end
    return require('kith.pickers').pick(items, {
      prompt = 'kith agenda ' .. agenda.today,
      on_choose = function(item)
        require('kith.people').jump(item.filename, item.lnum)
      end,
    })
  end
  vim.fn.setqflist({}, ' ', { title = 'kith agenda ' .. agenda.today, items = items })
  vim.cmd('botright copen')
end

-- :Kith contacts: every contact with its annotation in the picker.
subcommands.contacts = function()
  require('kith.people').contacts()
end

-- :Kith history [@handle|name] [pick|quickfix]
subcommands.history = function(args)
  require('kith.people').history(args)
end

-- :Kith new @handle [Name]: a buffer for the contact note {people_dir}/{handle}.md.
subcommands.new = function(args)
  if not args[1] then
    return err('kith: usage: :Kith new @handle [Name]')
  end
  local name = #args > 1 and table.concat(vim.list_slice(args, 2), ' ') or nil
  require('kith.templates').new_contact(args[1], name)
end

-- :Kith report [week|month|quarter|year|html]
subcommands.report = function(args)
  require('kith.report').command(args)
end

-- :Kith graph [html|dot]: the network of introductions and time together (SPEC §5 v3).
subcommands.graph = function(args)
  require('kith.report').graph(args)
end

subcommands.check = function()
  local data, vault = balances_data()
  if not data then
    return
  end
  local items = {}
  for _, d in ipairs(data.diagnostics) do
    table.insert(items, {
      filename = vault .. '/' .. d.path,
      lnum = d.line,
      col = d.column,
      type = d.severity == 'error' and 'E' or 'W',
      text = d.message,
    })
  end
  vim.fn.setqflist({}, ' ', { title = 'kith check', items = items })
  if #items == 0 then
    vim.notify('kith: no problems in ' .. vault, vim.log.levels.INFO)
  else
    vim.cmd('botright copen')
  end
end

subcommands.template = function(args)
  if not args[1] then
    return err('kith: usage: :Kith template {name} [@handle]')
  end
  require('kith.templates').insert(args[1], args[2])
end

subcommands.reflect = function()
  require('kith.templates').insert('reflection')
end

subcommands.review = function()
  require('kith.templates').insert('review')
end

subcommands.log = function(args)
  local kind = args[1]
  if not kind then
    return err('kith: usage: :Kith log {give|receive|met|ask} [@handle] [text]')
  end
  local handle, rest = nil, 2
  if args[2] and args[2]:match('^@') then
    handle, rest = args[2], 3
  end
  local text = nil
  if args[rest] then
    text = table.concat(vim.list_slice(args, rest), ' ')
  end
  require('kith.log').log(kind, handle, text)
end

-- Handles of the current vault, for completion.
local function handles()
  local info = require('kith').info(0)
  local contacts = info and host.channel() and host.contacts(info.vault, 3000)
  if not contacts then
    return {}
  end
  return vim.tbl_map(function(c)
    return '@' .. c.handle
  end, contacts)
end

--- Registers a subcommand (used by later modules).
function M.register(name, fn, complete)
  subcommands[name] = fn
  if complete then
    M.completers[name] = complete
  end
end

M.completers = {
  report = function(words)
    return #words <= 3 and require('kith.report').complete() or {}
  end,
  init = function(_, arglead)
    return vim.fn.getcompletion(arglead, 'dir')
  end,
  agenda = function()
    return { 'pick', 'quickfix' }
  end,
  graph = function(words)
    return #words <= 3 and { 'html', 'dot' } or {}
  end,
  history = function(words)
    if #words <= 3 then
      return vim.list_extend(handles(), { 'pick', 'quickfix' })
    end
    return { 'pick', 'quickfix' }
  end,
  new = function(words)
    if #words <= 3 then
      return handles()
    end
    return {}
  end,
  template = function(words)
    if #words <= 3 then
      return require('kith.templates').names()
    end
    return handles()
  end,
  log = function(words)
    if #words <= 3 then
      return { 'give', 'receive', 'met', 'ask' }
    end
    if #words == 4 then
      return handles()
    end
    return {}
  end,
}

function M.run(opts)
  local args = opts.fargs
  local name = args[1]
  if not name then
    err('kith: usage: :Kith {' .. table.concat(M.names(), '|') .. '}')
    return
  end
  local fn = subcommands[name]
  if not fn then
    err(('kith: unknown subcommand %q (try :Kith <Tab>)'):format(name))
    return
  end
  fn(vim.list_slice(args, 2), opts)
end

function M.names()
  local names = vim.tbl_keys(subcommands)
  table.sort(names)
  return names
end

function M.complete(arglead, cmdline, _)
  local words = vim.split(cmdline, '%s+', { trimempty = false })
  if #words <= 2 then
    return vim.tbl_filter(function(n)
      return n:sub(1, #arglead) == arglead
    end, M.names())
  end
  local fn = M.completers[words[2]]
  if fn then
    return vim.tbl_filter(function(n)
      return n:sub(1, #arglead) == arglead
    end, fn(words, arglead))
  end
  return {}
end

return M
