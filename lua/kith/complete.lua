-- Completion of contacts: handles after `@`, names (and aliases) after `[[`; (v3) kith's tags
-- after `#` (the kind tags, #ask, #intro, and the heading tags #every:, #snooze:, #birthday:). The same
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

-- (v3) The tags kith reads, with what each does (SPEC §1).
M.tags = {
  { '#gave', 'a give (#gave:2 weighs 2)' },
  { '#got', 'a receive (#got:2 weighs 2)' },
  { '#met', 'a touch point' },
  { '#ask', 'something they need, open until ticked: - [x]' },
  { '#needs', 'an ask (as #ask)' },
  { '#intro', 'with #gave and two contacts: you introduced them' },
  { '#every:', 'in a contact heading: a cadence, #every:3w (d, w, m, y)' },
  { '#snooze:', 'in a contact heading: not before that date, #snooze:YYYY-MM-DD' },
  { '#birthday:', 'in a contact heading: #birthday:1990-04-12 or #birthday:04-12' },
}

--- What is being completed at the end of `before` (the line up to the cursor): {kind =
--- 'handle' | 'link' | 'tag', start = 0-based byte column where the completed text starts (the
--- `@` or `#`; after `[[`), prefix = what is typed of it (without `@` / `[[`; with `#`)}, or nil.
function M.context(before)
  local hash = before:match('()#[%w_:.-]*$')
  if hash and hash > 1 and before:sub(hash - 1, hash - 1):match('[%s(,;]') then
    return { kind = 'tag', start = hash - 1, prefix = before:sub(hash) }
  end
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
  if ctx and ctx.kind == 'tag' then
    local out = {}
    for _, t in ipairs(M.tags) do
      if not filter_prefix or starts(t[1], ctx.prefix) then
        table.insert(out, { word = t[1], label = t[1], filter = t[1], menu = 'kith', info = t[2] })
      end
    end
    return out
  end
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
      return -3 -- not after a handle, [[ or a tag's #: leave completion mode quietly
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
  elseif base:sub(1, 1) == '#' then
    ctx = { kind = 'tag', prefix = base }
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
