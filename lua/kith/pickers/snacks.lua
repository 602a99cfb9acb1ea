-- snacks.nvim: Snacks.picker over kith's entries, with its file previewer at the line; confirming
-- calls kith's action.
local M = {}

function M.pick(items, opts)
  local entries = {}
  for i, item in ipairs(items) do
    entries[i] = { idx = i, text = item.text, file = item.filename, pos = { item.lnum, 0 }, kith = item }
  end
  require('snacks').picker.pick({
    source = 'kith',
    title = opts.prompt,
    items = entries,
    format = 'text',
    preview = 'file',
    confirm = function(picker, entry)
      picker:close()
      if entry then
        opts.on_choose(entry.kith)
      end
    end,
  })
end

return M
