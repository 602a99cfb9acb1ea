-- Buffer-local maps in vault Markdown buffers (configurable; keymaps = false disables them).
local M = {}

local actions = {
  log_give = '<Plug>(kith-log-give)',
  log_receive = '<Plug>(kith-log-receive)',
  log_met = '<Plug>(kith-log-met)',
}

function M.attach(buf)
  local maps = require('kith.config').get().keymaps
  if not maps then
    return
  end
  for name, plug in pairs(actions) do
    local lhs = maps[name]
    if type(lhs) == 'string' and lhs ~= '' then
      vim.keymap.set('n', lhs, plug, { buffer = buf, remap = true, desc = 'kith: ' .. name:gsub('_', ' ') })
    end
  end
end

return M
