-- Buffer-local maps in vault Markdown buffers (configurable; keymaps = false disables them).
-- go_to (gd) and hover (K) act on a handle or a wiki link naming a contact; anywhere else they
-- do what the key did before kith mapped it: the buffer's or global map it had then (an LSP
-- client's, a plugin's), else the built-in command (K: the LSP hover when a client offers it).
local M = {}

local actions = {
  log_give = '<Plug>(kith-log-give)',
  log_receive = '<Plug>(kith-log-receive)',
  log_met = '<Plug>(kith-log-met)',
  log_ask = '<Plug>(kith-log-ask)',
  go_to = '<Plug>(kith-goto)',
  hover = '<Plug>(kith-hover)',
}

-- buf -> {go_to = map | false, hover = map | false}: what the key did before (maparg dicts).
local previous = {}

local function is_kith(map)
  return type(map) == 'table' and ((map.rhs or ''):find('<Plug>(kith-', 1, true) ~= nil
    or (map.desc or ''):match('^kith: ') ~= nil)
end

function M.attach(buf)
  local maps = require('kith.config').get().keymaps
  if not maps then
    return
  end
  previous[buf] = previous[buf] or {}
  for name, plug in pairs(actions) do
    local lhs = maps[name]
    if type(lhs) == 'string' and lhs ~= '' then
      if (name == 'go_to' or name == 'hover') and previous[buf][name] == nil then
        local before -- (set in the closure: nvim_buf_call's result would turn {} into a list)
        vim.api.nvim_buf_call(buf, function()
          before = vim.fn.maparg(lhs, 'n', false, true)
        end)
        previous[buf][name] = (type(before) == 'table' and before.lhs and not is_kith(before)) and before or false
      end
      vim.keymap.set('n', lhs, plug, { buffer = buf, remap = true, desc = 'kith: ' .. name:gsub('_', ' ') })
    end
  end
end

--- Forgets a wiped-out buffer.
function M.forget(buf)
  previous[buf] = nil
end

-- Runs a map as maparg() describes it.
local function run(map)
  local keys
  if map.callback then
    keys = map.callback()
    if map.expr ~= 1 then
      return
    end
  else
    keys = map.expr == 1 and vim.api.nvim_eval(map.rhs) or map.rhs
  end
  if type(keys) ~= 'string' or keys == '' then
    return
  end
  if map.sid and map.sid > 0 then
    keys = keys:gsub('<[Ss][Ii][Dd]>', '<SNR>' .. map.sid .. '_')
  end
  if map.expr ~= 1 or map.replace_keycodes ~= 0 then
    keys = vim.api.nvim_replace_termcodes(keys, true, true, true)
  end
  vim.api.nvim_feedkeys(keys, map.noremap == 1 and 'n' or 'm', false)
end

local function lsp_hover(buf)
  local clients
  if vim.lsp.get_clients then
    clients = vim.lsp.get_clients({ bufnr = buf })
  else
    clients = vim.tbl_values(vim.lsp.buf_get_clients(buf))
  end
  for _, c in ipairs(clients) do
    if c.server_capabilities and c.server_capabilities.hoverProvider then
      return true
    end
  end
  return false
end

local builtin = { go_to = 'gd', hover = 'K' }

--- What `name` (go_to or hover) does where kith has nothing to do.
function M.fallback(name, count)
  local buf = vim.api.nvim_get_current_buf()
  local map = previous[buf] and previous[buf][name]
  if map then
    return run(map)
  end
  if name == 'hover' and lsp_hover(buf) then
    return vim.lsp.buf.hover()
  end
  vim.cmd('normal! ' .. ((count or 0) > 0 and tostring(count) or '') .. builtin[name])
end

--- <Plug>(kith-goto) and <Plug>(kith-hover).
function M.goto_contact()
  local count = vim.v.count
  if not require('kith.people').goto_contact() then
    M.fallback('go_to', count)
  end
end

function M.hover()
  local count = vim.v.count
  if not require('kith.hover').hover() then
    M.fallback('hover', count)
  end
end

return M
