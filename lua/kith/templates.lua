-- :Kith template / reflect / review: expand a template (filled from the vault) below the cursor.
local host = require('kith.host')
local config = require('kith.config')

local M = {}

local function err(msg)
  vim.notify(msg, vim.log.levels.ERROR)
end

local function templates_dir()
  local dir = config.get().templates
  return dir and vim.fn.expand(dir) or nil
end

--- Template names (built-ins and the `templates` directory).
function M.names()
  local cmd = { host.cmd(), 'template', '--list' }
  local dir = templates_dir()
  if dir then
    vim.list_extend(cmd, { '--templates', dir })
  end
  local out = vim.fn.systemlist(cmd)
  if vim.v.shell_error ~= 0 then
    return { 'contact', 'meeting', 'reflection', 'review' }
  end
  return out
end

--- Inserts template `name` below the cursor as one undo step; nothing on error.
function M.insert(name, handle)
  local info = require('kith').info(0)
  if not info then
    return err('kith: this buffer is not a note in a kith vault')
  end
  local ready, problem = host.wait_vault(info.vault)
  if not ready then
    return err(problem)
  end
  local ok, text = host.request('kith_template', info.vault, name, handle or vim.NIL,
    templates_dir() or vim.NIL)
  if not ok then
    local needs = tostring(text):match('needs a contact')
    if needs and not handle then
      -- {{handle}} without one: ask, then try again.
      vim.ui.input({ prompt = 'kith: handle for ' .. name .. ': @' }, function(h)
        if h and vim.trim(h) ~= '' then
          M.insert(name, vim.trim(h))
        end
      end)
      return
    end
    return err(text)
  end
  local lines = vim.split(text, '\n', { plain = true })
  if lines[#lines] == '' then
    table.remove(lines)
  end
  local row = vim.api.nvim_win_get_cursor(0)[1]
  vim.api.nvim_buf_set_lines(0, row, row, false, lines)
  vim.api.nvim_win_set_cursor(0, { row + 1, 0 })
end

return M
