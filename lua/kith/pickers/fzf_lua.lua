-- fzf-lua: kith's entries as `path:line: text` lines (paths relative to the vault, fzf-lua's
-- grep format), so its builtin previewer shows the note at the line; <CR> calls kith's action.
local M = {}

function M.pick(items, opts)
  local lines, by_line = {}, {}
  local root = vim.fn.fnamemodify(items[1] and items[1].filename or '', ':h')
  -- The longest directory that holds every entry: the paths shown are relative to it.
  for _, item in ipairs(items) do
    while root ~= '/' and item.filename:sub(1, #root + 1) ~= root .. '/' do
      root = vim.fn.fnamemodify(root, ':h')
    end
  end
  for _, item in ipairs(items) do
    local line = ('%s:%d: %s'):format(item.filename:sub(#root + 2), item.lnum, item.text:gsub('\n', ' '))
    while by_line[line] do
      line = line .. ' ' -- the same text twice: keep both entries apart
    end
    by_line[line] = item
    table.insert(lines, line)
  end
  require('fzf-lua').fzf_exec(lines, {
    prompt = opts.prompt .. '> ',
    cwd = root,
    previewer = 'builtin',
    actions = {
      ['default'] = function(selected)
        local item = selected and by_line[selected[1]]
        if item then
          opts.on_choose(item)
        end
      end,
    },
  })
end

return M
