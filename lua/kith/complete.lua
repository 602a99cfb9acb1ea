-- Omni completion of @handles in vault buffers (`:set omnifunc` is set on attach; works with
-- any completion plugin that reads omnifunc).
local M = {}

function M.omnifunc(findstart, base)
  if findstart == 1 then
    local line = vim.api.nvim_get_current_line()
    local col = vim.api.nvim_win_get_cursor(0)[2]
    local start = col
    while start > 0 and line:sub(start, start):match('[%w_.-]') do
      start = start - 1
    end
    if start > 0 and line:sub(start, start) == '@' then
      return start - 1 -- 0-based column of the '@'
    end
    return -3 -- not after a handle: leave completion mode quietly
  end
  local info = require('kith').info(0)
  if not info then
    return {}
  end
  local contacts = require('kith.host').contacts(info.vault, 3000)
  if not contacts then
    return {}
  end
  local prefix = base:gsub('^@', ''):lower()
  local items = {}
  for _, c in ipairs(contacts) do
    if c.handle:sub(1, #prefix) == prefix then
      table.insert(items, { word = '@' .. c.handle, abbr = '@' .. c.handle, menu = c.name,
        info = c.annotation })
    end
  end
  return items
end

return M
