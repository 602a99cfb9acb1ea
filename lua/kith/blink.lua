-- blink.cmp source (added as the provider `kith` for Markdown on the first attach when blink.cmp
-- is installed and has no provider of that name; or configure `providers.kith = { name = 'kith',
-- module = 'kith.blink' }` yourself): handles after `@`, contact names after `[[`, (v3) kith's tags
-- after `#`.
local complete = require('kith.complete')

local source = {}

function source.new()
  return setmetatable({}, { __index = source })
end

function source:enabled()
  return require('kith').info(0) ~= nil
end

function source:get_trigger_characters()
  return { '@', '[', '#' }
end

function source:get_completions(ctx, callback)
  local info = require('kith').info(ctx.bufnr or 0)
  local before = ctx.line:sub(1, ctx.cursor[2])
  local what = complete.context(before)
  local items = {}
  if info and what then
    local row = ctx.cursor[1] - 1
    local kinds = vim.lsp.protocol.CompletionItemKind
    local kind = what.kind == 'tag' and kinds.Keyword or kinds.Reference
    for _, c in ipairs(complete.candidates(info.vault, what, false, ctx.line:sub(ctx.cursor[2] + 1))) do
      table.insert(items, {
        label = c.label,
        filterText = c.filter,
        kind = kind,
        labelDetails = { description = c.menu },
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
  end
  callback({ items = items, is_incomplete_forward = false, is_incomplete_backward = false })
end

return source
