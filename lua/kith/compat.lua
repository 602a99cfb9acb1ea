-- The few Neovim APIs that changed between 0.7.2 (Debian 12) and current releases: the new
-- one where it exists, the old one otherwise, so current Neovim prints no deprecation warning.
local M = {}

M.uv = vim.uv or vim.loop

M.islist = vim.islist or vim.tbl_islist

--- vim.validate over a table {name = {value, validator, optional_or_message}} (the only form
--- 0.7.2 has; 0.11 deprecates it in favour of one call per value).
function M.validate(spec)
  if vim.fn.has('nvim-0.11') == 0 then
    return vim.validate(spec)
  end
  local names = vim.tbl_keys(spec)
  table.sort(names)
  for _, name in ipairs(names) do
    local s = spec[name]
    if type(s[3]) == 'string' then
      vim.validate(name, s[1], s[2], s[3])
    else
      vim.validate(name, s[1], s[2], s[3] or false)
    end
  end
end

return M
