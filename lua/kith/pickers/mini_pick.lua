-- mini.pick: MiniPick.start over kith's entries (`text`, `path`, `lnum`: its default preview
-- shows the note at the line); choosing calls kith's action once the picker has closed.
local M = {}

function M.pick(items, opts)
  local entries = {}
  for i, item in ipairs(items) do
    entries[i] = { text = item.text, path = item.filename, lnum = item.lnum, kith = item }
  end
  require('mini.pick').start({
    source = {
      name = opts.prompt,
      items = entries,
      choose = function(entry)
        if entry then
          -- after the picker window has closed, in the window it was started from
          vim.schedule(function()
            opts.on_choose(entry.kith)
          end)
        end
      end,
    },
  })
end

return M
