-- nvim-cmp source `kith` (registered on the first attach when nvim-cmp is installed; add
-- `{ name = 'kith' }` to your sources): handles after `@`, contact names after `[[`, (v3) kith's
-- tags after `#`.
local complete = require('kith.complete')

local source = {}

function source.new()
  return setmetatable({}, { __index = source })
end

function source:get_debug_name()
  return 'kith'
end

function source:is_available()
  return require('kith').info(0) ~= nil
end

function source:get_trigger_characters()
  return { '@', '[', '#' }
end

-- What is completed: a handle with its `@`, a tag with its `#`, or what follows `[[` (names may
-- hold spaces).
function source:get_keyword_pattern()
  return [[\%(@[[:alnum:]_.-]*\|#[[:alnum:]_:.-]*\|\[\[\zs[^\]|#]*\)]]
end

function source:complete(params, callback)
  local info = require('kith').info(0)
  local ctx = params.context
  local before = ctx.cursor_before_line
  local what = complete.context(before)
  if not info or not what then
    return callback({ items = {}, isIncomplete = false })
  end
  local row = ctx.cursor.row - 1
  local kinds = require('cmp').lsp.CompletionItemKind
  local kind = what.kind == 'tag' and kinds.Keyword or kinds.Reference
  local items = {}
  for _, c in ipairs(complete.candidates(info.vault, what, false, ctx.cursor_after_line)) do
    table.insert(items, {
      label = c.label,
      filterText = what.kind == 'link' and c.filter or c.word,
      kind = kind,
      detail = c.menu,
      documentation = c.info,
      textEdit = {
        newText = c.word,
        range = {
          start = { line = row, character = what.start },
          ['end'] = { line = row, character = #before },
        },
      },
    })
  end
  callback({ items = items, isIncomplete = false })
end

return source
