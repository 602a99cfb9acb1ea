-- Pickers: :Kith contacts, :Kith history, :Kith agenda pick and the "which contact?" question of
-- quick logging list their entries here. One small adapter per picker (telescope.nvim, fzf-lua,
-- snacks.nvim, mini.pick, vim.ui.select), each given the same entries and the same action.
--
-- An entry: {text = what is shown, filename = absolute path, lnum = 1-based line, value = any}.
-- Every adapter shows `text`, previews `filename` at `lnum` (vim.ui.select: no preview) and calls
-- opts.on_choose(entry) with the entry chosen (nothing when the user cancels).
local M = {}

-- The `picker` option's names, in the order `auto` tries them, with their adapter and the
-- module that tells whether the plugin is installed.
M.order = {
  { name = 'telescope', adapter = 'kith.pickers.telescope', module = 'telescope' },
  { name = 'fzf-lua', adapter = 'kith.pickers.fzf_lua', module = 'fzf-lua' },
  { name = 'snacks', adapter = 'kith.pickers.snacks', module = 'snacks' },
  { name = 'mini.pick', adapter = 'kith.pickers.mini_pick', module = 'mini.pick' },
}

local function installed(module)
  if package.loaded[module] then
    return true
  end
  return (pcall(require, module))
end

--- The name of the picker the `picker` option chooses now ('select' when none is installed).
function M.name()
  local want = require('kith.config').get().picker
  if type(want) == 'function' then
    return 'function'
  end
  for _, p in ipairs(M.order) do
    if (want == 'auto' or want == p.name) and installed(p.module) then
      return p.name
    end
  end
  if want ~= 'auto' and want ~= 'select' then
    vim.notify_once(('kith: the picker %s is not installed; using vim.ui.select'):format(want), vim.log.levels.WARN)
  end
  return 'select'
end

--- Shows `items` in the chosen picker. opts: {prompt, on_choose = function(entry)}.
function M.pick(items, opts)
  local want = require('kith.config').get().picker
  if type(want) == 'function' then
    return want(items, opts)
  end
  local name = M.name()
  for _, p in ipairs(M.order) do
    if p.name == name then
      return require(p.adapter).pick(items, opts)
    end
  end
  return require('kith.pickers.select').pick(items, opts)
end

return M
