-- The fallback picker: vim.ui.select (a numbered list on plain Neovim; dressing.nvim and the
-- like replace it). No preview.
local M = {}

function M.pick(items, opts)
  vim.ui.select(items, {
    prompt = opts.prompt,
    kind = 'kith',
    format_item = function(item)
      return item.text
    end,
  }, function(choice)
    if choice then
      opts.on_choose(choice)
    end
  end)
end

return M
