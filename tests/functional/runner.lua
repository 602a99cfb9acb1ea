-- Runs busted inside the Neovim that loads this file (its LuaJIT is busted's interpreter):
--
--   nvim --headless -u NONE -i NONE -n -c 'luafile tests/functional/runner.lua' -- BUSTED-ARGS
--
-- run.sh does exactly that. busted's arguments are Neovim's argument list (what follows
-- `--`, vim.fn.argv()). busted and its modules are Debian's lua-busted & co: Lua modules
-- under /usr/share/lua/5.1, C modules (term, system, lfs) under /usr/lib/<triplet>/lua/5.1.
-- The specs start their own `nvim --embed` per test (support.lua). Neovim then exits with
-- busted's exit code (0: all passed). Works with and without `nvim -l` (0.7.2 has none).

-- Where a Debian (or /usr/local, luarocks --local) busted lives, after whatever the LuaJIT
-- built into this Neovim already searches.
local function add_paths(field, patterns)
  local have = ';' .. package[field] .. ';'
  for _, p in ipairs(patterns) do
    if not have:find(';' .. p .. ';', 1, true) then
      package[field] = package[field] .. ';' .. p
      have = have .. p .. ';'
    end
  end
end

local lua_dirs = { '/usr/local/share/lua/5.1', '/usr/share/lua/5.1' }
local c_dirs = { '/usr/local/lib/lua/5.1', '/usr/lib/lua/5.1', '/usr/lib64/lua/5.1' }
for _, dir in ipairs(vim.fn.glob('/usr/lib/*/lua/5.1', false, true)) do
  table.insert(c_dirs, dir)
end
local home = os.getenv('HOME')
if home then
  table.insert(lua_dirs, 1, home .. '/.luarocks/share/lua/5.1')
  table.insert(c_dirs, 1, home .. '/.luarocks/lib/lua/5.1')
end
local lua_paths, c_paths = {}, {}
for _, dir in ipairs(lua_dirs) do
  table.insert(lua_paths, dir .. '/?.lua')
  table.insert(lua_paths, dir .. '/?/init.lua')
end
for _, dir in ipairs(c_dirs) do
  table.insert(c_paths, dir .. '/?.so')
end
add_paths('path', lua_paths)
add_paths('cpath', c_paths)

-- busted's reporters write with io.write (stdout); a spec's print() goes there too, not to
-- Neovim's message area.
_G.print = function(...)
  local parts = {}
  for i = 1, select('#', ...) do
    parts[i] = tostring((select(i, ...)))
  end
  io.stdout:write(table.concat(parts, '\t'), '\n')
end

-- busted ends with os.exit(code) (or, on failures, with error()). Inside Neovim that exit
-- becomes an error caught below, so Neovim quits its own way (stopping any job it still
-- runs) with busted's code.
local Exit = {}
local os_exit = os.exit
os.exit = function(code)
  if code == true or code == nil then
    code = 0
  elseif code == false then
    code = 1
  end
  error(setmetatable({ code = tonumber(code) or 1 }, Exit), 0)
end

_G.arg = vim.fn.argv()
_G.arg[0] = 'busted'

-- busted.runner names itself after the file of its caller (a chunk named '@busted' here), and
-- exits with os.exit() only when that caller is no file.
local run = assert(loadstring("require('busted.runner')({ standalone = false })", '@busted'))

local ok, err = pcall(run)
os.exit = os_exit
local code = 0
if not ok then
  if getmetatable(err) == Exit then
    code = err.code
  else
    -- error() without a message: busted's way of failing after it reported failures.
    if err ~= nil then
      io.stderr:write('runner: ', tostring(err), '\n')
    end
    code = 1
  end
end
io.stdout:flush()
io.stderr:flush()
if code == 0 then
  vim.cmd('qall!')
else
  vim.cmd(('cquit %d'):format(code))
end
