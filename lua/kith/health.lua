-- :checkhealth kith — works with 0.7.2's require('health') and current vim.health.
local uv = require('kith.compat').uv
local M = {}

local h = vim.health or require('health')
local start = h.start or h.report_start
local ok = h.ok or h.report_ok
local warn = h.warn or h.report_warn
local error = h.error or h.report_error
local info = h.info or h.report_info

-- The settings of a vault (SPEC §1 v3), each with where it came from, and what is wrong in
-- its .kith.
function M.settings(chan, root)
  local okr, res = pcall(vim.rpcrequest, chan, 'kith_settings', root, false)
  if not okr then
    return warn(('settings of %s: %s'):format(root, tostring(res)))
  end
  local lines = {}
  for _, setting in ipairs(res.settings) do
    table.insert(lines, ('%s = %s (%s)'):format(setting.name, setting.value, setting.origin))
  end
  local what = res.file and (vim.fn.fnamemodify(root, ':~') .. '/.kith') or 'no .kith: the defaults'
  if #res.diagnostics == 0 then
    ok(('settings of %s (%s): %s'):format(vim.fn.fnamemodify(root, ':~'), what, table.concat(lines, '; ')))
    return
  end
  local problems = {}
  local worst = warn
  for _, d in ipairs(res.diagnostics) do
    table.insert(problems, ('.kith:%d:%d: %s: %s'):format(d.line, d.column, d.severity, d.message))
    if d.severity == 'error' then
      worst = error
    end
  end
  worst(('settings of %s (%s): %s'):format(vim.fn.fnamemodify(root, ':~'), what, table.concat(lines, '; ')),
    problems)
end

function M.check()
  start('kith')
  local host = require('kith.host')
  local cmd = host.cmd()
  if vim.fn.executable(cmd) ~= 1 then
    error('no kith binary at ' .. cmd, { 'Build it: make -C ' .. host.root(), 'Or set the `cmd` option' })
    return
  end
  ok('binary: ' .. cmd)
  local out = vim.fn.system({ cmd, '--version' })
  if vim.v.shell_error ~= 0 then
    error('`kith --version` failed: ' .. out)
    return
  end
  ok('version: ' .. vim.trim(out))
  local abi = tonumber(out:match('language ABI (%d+)'))
  local lo, hi = out:match('runtime ABI (%d+)%-(%d+)')
  lo, hi = tonumber(lo), tonumber(hi)
  if abi and lo and abi >= lo and abi <= hi then
    ok(('grammar: tree-sitter-markdown, language ABI %d (the tree-sitter runtime loads %d-%d)'):format(abi, lo, hi))
  elseif abi and lo then
    error(('grammar: language ABI %d, but the tree-sitter runtime loads %d-%d'):format(abi, lo, hi),
      { 'Rebuild kith against your tree-sitter: make clean && make' })
  else
    warn('grammar: cannot read the language ABI from `kith --version`')
  end
  local picker = require('kith.config').get().picker
  ok(('picker: %s%s'):format(require('kith.pickers').name(),
    type(picker) == 'string' and picker ~= require('kith.pickers').name() and (' (picker = ' .. picker .. ')') or ''))
  -- Which vault each Markdown buffer is in, or why none (SPEC §5: vaults are explicit).
  local kith = require('kith')
  local any = false
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    local name = vim.api.nvim_buf_get_name(buf)
    if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype == 'markdown' and name ~= '' then
      any = true
      local attached = kith.info(buf)
      local shown = vim.fn.fnamemodify(name, ':~:.')
      if attached then
        ok(('%s: in the vault %s'):format(shown, vim.fn.fnamemodify(attached.vault, ':~')))
      else
        local vault, why = kith.vault_for(vim.fn.fnamemodify(name, ':p'))
        if vault then
          warn(('%s: in the vault %s, but not followed'):format(shown, vim.fn.fnamemodify(vault, ':~')),
            { 'Reopen it, or run :Kith restart' })
        else
          info(('%s: in no vault (%s)'):format(shown, why), { 'Make its folder a vault: :Kith init' })
        end
      end
    end
  end
  if not any then
    local vault, why = kith.vault_for(uv.cwd() .. '/note.md')
    if vault then
      ok('vault of the current directory: ' .. vault)
    else
      info('no vault here: ' .. why, { 'Open a note in a vault, or make one with :Kith init' })
    end
  end
  local chan = host.channel()
  if chan then
    local okr, status = pcall(vim.rpcrequest, chan, 'kith_status')
    if okr then
      ok(('host: running (pid %s), %d buffer(s)'):format(tostring(host.pid()), status.buffers))
      for _, v in ipairs(status.vaults) do
        info(('%s: %d notes, %d contacts%s'):format(v.root, v.notes, v.contacts, v.ready and '' or ' (indexing)'))
        M.settings(chan, v.root)
      end
    else
      warn('host: not answering: ' .. tostring(status))
    end
  else
    info('host: not started (it starts with the first Markdown buffer in a vault)')
  end
end

return M
