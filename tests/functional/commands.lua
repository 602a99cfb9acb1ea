-- Helpers shared by the specs of kith's commands (template_spec.lua, log_spec.lua,
-- check_spec.lua, completion_spec.lua): checks of an insertion into a buffer and lookups in
-- lists. Not a spec itself (busted runs only *_spec.lua files):
--
--   local c = require('commands')
--   local inserted_after, find_line, contains = c.inserted_after, c.find_line, c.contains
--
-- A module does not see a spec's busted functions: `assert` here is luassert, the very table
-- busted gives the specs as `assert`.

local t = require('support')
local assert = require('luassert')

local M = {}

--- Checks that `now` is `orig` with a block inserted after line `row` (1-based; 0 = at the
--- top) and returns the inserted lines.
function M.inserted_after(orig, now, row, what)
  local n = #now - #orig
  assert.is_true(n > 0, (what or 'insertion') .. ': nothing was inserted; buffer: ' .. t.dump(now))
  for i = 1, row do
    assert.are.equal(orig[i], now[i], ('%s: line %d above the insertion changed'):format(what or 'insertion', i))
  end
  for i = row + 1, #orig do
    assert.are.equal(orig[i], now[i + n], ('%s: original line %d below the insertion changed'):format(what or 'insertion', i))
  end
  local block = {}
  for i = row + 1, row + n do
    table.insert(block, now[i])
  end
  return block
end

--- The index of the first of `lines` that matches `pattern`, or nil.
function M.find_line(lines, pattern)
  for i, l in ipairs(lines) do
    if l:find(pattern) then
      return i
    end
  end
end

--- Whether `list` holds `value`.
function M.contains(list, value)
  for _, v in ipairs(list) do
    if v == value then
      return true
    end
  end
  return false
end

return M
