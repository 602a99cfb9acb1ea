-- telescope.nvim: a picker over kith's entries, previewed with telescope's grep previewer (the
-- note at the line), choosing with <CR> calls kith's action.
local M = {}

function M.pick(items, opts)
  local pickers = require('telescope.pickers')
  local finders = require('telescope.finders')
  local conf = require('telescope.config').values
  local actions = require('telescope.actions')
  local action_state = require('telescope.actions.state')
  pickers.new({}, {
    prompt_title = opts.prompt,
    finder = finders.new_table({
      results = items,
      entry_maker = function(item)
        return {
          value = item,
          display = item.text,
          ordinal = item.text,
          filename = item.filename,
          lnum = item.lnum,
        }
      end,
    }),
    sorter = conf.generic_sorter({}),
    previewer = conf.grep_previewer({}),
    attach_mappings = function(prompt_bufnr)
      actions.select_default:replace(function()
        local entry = action_state.get_selected_entry()
        actions.close(prompt_bufnr)
        if entry then
          opts.on_choose(entry.value)
        end
      end)
      return true
    end,
  }):find()
end

return M
