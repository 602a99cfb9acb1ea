-- Highlight groups, linked with default = true so colour schemes and users can override them
-- (and `:hi clear` keeps them).
local M = {}

M.links = {
  KithGive = 'Comment',
  KithReceive = 'Comment',
  KithBalance = 'Comment',
  KithHint = 'DiagnosticHint',
  KithDormant = 'DiagnosticWarn',
  KithOverdue = 'DiagnosticWarn',
  KithHoverTitle = 'Title',
  KithHoverSection = 'Label',
}

local defined = false

function M.define()
  if defined then
    return
  end
  defined = true
  for group, link in pairs(M.links) do
    vim.api.nvim_set_hl(0, group, { link = link, default = true })
  end
  vim.api.nvim_create_autocmd('ColorScheme', {
    group = vim.api.nvim_create_augroup('kith_highlights', { clear = true }),
    callback = function()
      for group, link in pairs(M.links) do
        vim.api.nvim_set_hl(0, group, { link = link, default = true })
      end
    end,
  })
end

return M
