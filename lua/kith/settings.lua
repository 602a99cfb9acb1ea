-- The vault settings file `.kith` in the editor (SPEC §1 v3, :help kith-vaults): YAML
-- highlighting, its diagnostics (an unknown or mistyped key, YAML that does not parse) in the
-- buffer, and when it is written the host reads it again at once, with every note it affects.
-- What the settings are and where each came from is also :checkhealth kith's.
local uv = require('kith.compat').uv
local host = require('kith.host')

local M = {}

local SEVERITY = { error = vim.diagnostic.severity.ERROR, warning = vim.diagnostic.severity.WARN }

--- The vault a `.kith` buffer is the settings file of (its folder), or nil.
function M.vault_of(buf)
  local name = vim.api.nvim_buf_get_name(buf)
  if name == '' or vim.fn.fnamemodify(name, ':t') ~= '.kith' then
    return nil
  end
  local dir = vim.fn.fnamemodify(name, ':p:h')
  return uv.fs_realpath(dir) or dir
end

--- Asks the host for the settings of `vault` (after reading them again when `reload`).
--- Returns them ({root, followed, file, settings = {{name, value, origin}}, diagnostics}), or
--- nil and a message.
function M.get(vault, reload)
  local ok, res = host.request('kith_settings', vault, reload == true)
  if not ok then
    return nil, res
  end
  return res
end

--- Shows the diagnostics of `.kith` buffer `buf` (reading the settings again when `reload`).
function M.refresh(buf, reload)
  local vault = M.vault_of(buf)
  if not vault or not vim.api.nvim_buf_is_valid(buf) then
    return
  end
  local settings, problem = M.get(vault, reload)
  if not settings then
    return vim.notify(problem, vim.log.levels.WARN)
  end
  local items = {}
  local last = vim.api.nvim_buf_line_count(buf) - 1
  for _, d in ipairs(settings.diagnostics) do
    table.insert(items, {
      lnum = math.min(d.line - 1, last),
      col = d.column - 1,
      severity = SEVERITY[d.severity],
      message = d.message,
      source = 'kith',
    })
  end
  vim.diagnostic.set(require('kith.view').ns, buf, items)
end

--- Follows a `.kith` buffer (plugin/kith.lua calls it for every buffer named .kith).
function M.attach(buf)
  if vim.bo[buf].filetype == '' then
    vim.bo[buf].filetype = 'yaml'
  end
  local group = vim.api.nvim_create_augroup('kith_settings_' .. buf, { clear = true })
  vim.api.nvim_create_autocmd('BufWritePost', {
    group = group,
    buffer = buf,
    callback = function()
      M.refresh(buf, true)
    end,
  })
  vim.api.nvim_create_autocmd('BufWipeout', {
    group = group,
    buffer = buf,
    callback = function()
      pcall(vim.api.nvim_del_augroup_by_id, group)
    end,
  })
  M.refresh(buf, false)
end

return M
