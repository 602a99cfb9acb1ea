-- Completion of contacts: handles after `@`, names (and aliases) after `[[`. The same
-- candidates feed omnifunc (set on attach, for any completion plugin that reads it), an nvim-cmp
-- source (lua/kith/cmp.lua) and a blink.cmp source (lua/kith/blink.lua), registered on the first
-- attach when those plugins are installed. The contacts come from one request per vault and
-- update of the vault (kept until the host's next update), never one per keystroke.
local M = {}

local cache = {} -- vault root -> list of contacts (kith_contacts)

--- Forgets what was asked of `root` (called after every update of the vault).
function M.invalidate(root)
  cache[root] = nil
end

--- The contacts of `vault` ({handle, name, annotation, aliases?, ...}), or nil.
function M.contacts(vault)
  if cache[vault] then
    return cache[vault]
  end
  local contacts = require('kith.host').contacts(vault, 3000)
  cache[vault] = contacts
  return contacts
end

--- What is being completed at the end of `before` (the line up to the cursor): {kind =
--- 'handle' | 'link', start = 0-based byte column where the completed text starts (the `@`;
--- after `[[`), prefix = what is typed of it (without `@` / `[[`)}, or nil.
function M.context(before)
  local at = before:match('()@[%w_.-]*$')
  if at then
    local prev = at > 1 and before:sub(at - 1, at - 1) or ''
    if prev == '' or not prev:match('[%w_.+-]') then
      return { kind = 'handle', start = at - 1, prefix = before:sub(at + 1) }
    end
  end
  local open = before:match('()%[%[[^%[%]|#]*$')
  if open then
    return { kind = 'link', start = open + 1, prefix = before:sub(open + 2) }
  end
  return nil
end

local function starts(s, prefix)
  return prefix == '' or s:sub(1, #prefix):lower() == prefix:lower()
end

--- The candidates for context `ctx` in `vault`: {word = text to insert, label, filter = text
--- to match, menu = name or handle, info = annotation, handle}. With `filter_prefix`, only those
--- whose handle / name begins with ctx.prefix (any case); otherwise all (the completion plugin
--- filters). `after`: the text after the cursor (no `]]` added when it already follows).
function M.candidates(vault, ctx, filter_prefix, after)
  local contacts = M.contacts(vault)
  if not contacts or not ctx then
    return {}
  end
  local out = {}
  local close = (after or ''):match('^%]%]') and '' or ']]'
  for _, c in ipairs(contacts) do
    if ctx.kind == 'handle' then
      if not filter_prefix or starts(c.handle, ctx.prefix) then
        table.insert(out, { word = '@' .. c.handle, label = '@' .. c.handle, filter = c.handle,
          menu = c.name, info = c.annotation, handle = c.handle })
      end
    else
      local names, seen = {}, {}
      if c.name ~= c.handle then
        table.insert(names, c.name)
      end
      for _, alias in ipairs(type(c.aliases) == 'table' and c.aliases or {}) do
        table.insert(names, alias)
      end
      for _, name in ipairs(names) do
        if not seen[name] and (not filter_prefix or starts(name, ctx.prefix)) then
          seen[name] = true
          table.insert(out, { word = name .. close, label = name, filter = name, menu = '@' .. c.handle,
            info = c.annotation, handle = c.handle })
        end
      end
    end
  end
  return out
end

function M.omnifunc(findstart, base)
  local line = vim.api.nvim_get_current_line()
  local col = vim.api.nvim_win_get_cursor(0)[2]
  if findstart == 1 then
    local ctx = M.context(line:sub(1, col))
    if not ctx then
      return -3 -- not after a handle or [[: leave completion mode quietly
    end
    return ctx.start
  end
  local info = require('kith').info(0)
  if not info then
    return {}
  end
  local ctx
  if base:sub(1, 1) == '@' then
    ctx = { kind = 'handle', prefix = base:sub(2) }
  else
    ctx = { kind = 'link', prefix = base }
  end
  local items = {}
  for _, c in ipairs(M.candidates(info.vault, ctx, true, line:sub(col + 1))) do
    table.insert(items, { word = c.word, abbr = c.label, menu = c.menu, info = c.info })
  end
  return items
end

local registered = false

--- Registers the nvim-cmp and blink.cmp sources once, for those that are installed.
function M.register()
  if registered then
    return
  end
  registered = true
  local ok_cmp, cmp = pcall(require, 'cmp')
  if ok_cmp and type(cmp) == 'table' and cmp.register_source then
    cmp.register_source('kith', require('kith.cmp').new())
  end
  local ok_blink, blink = pcall(require, 'blink.cmp')
  if ok_blink and type(blink) == 'table' and blink.add_source_provider then
    local ok_config, config = pcall(require, 'blink.cmp.config')
    local providers = ok_config and config.sources and config.sources.providers
    if providers and not providers.kith then
      pcall(blink.add_source_provider, 'kith', { name = 'kith', module = 'kith.blink' })
      pcall(blink.add_filetype_source, 'markdown', 'kith')
    end
  end
end

return M
