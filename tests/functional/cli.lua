-- Runs the kith binary for the specs that test the command line on their own: plain Lua
-- (io.popen, no Neovim API), so those specs stay runnable by any runner that gives them
-- describe/it. The binary is $KITH_BIN, else build/kith (what `make` builds).
local M = {}

M.BIN = os.getenv('KITH_BIN') or 'build/kith'

--- `s` quoted for /bin/sh.
function M.shell_quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

--- Runs kith with `args` (a list, each quoted); returns stdout, the exit code and stderr.
function M.run(args)
  local parts = { M.shell_quote(M.BIN) }
  for _, a in ipairs(args) do
    parts[#parts + 1] = M.shell_quote(a)
  end
  local err = os.tmpname()
  local cmd = table.concat(parts, ' ') .. ' 2>' .. M.shell_quote(err) .. '; echo "exit:$?"'
  local p = assert(io.popen(cmd, 'r'))
  local out = p:read('*a')
  p:close()
  local code = tonumber(out:match('exit:(%d+)%s*$'))
  out = out:gsub('exit:%d+%s*$', '')
  local f = io.open(err, 'rb')
  local stderr = f and f:read('*a') or ''
  if f then
    f:close()
  end
  os.remove(err)
  return out, code, stderr
end

--- `out` decoded as JSON with `json` (vim.json or lua-cjson); fails showing `out` when it is not.
function M.decode(json, out)
  local ok, v = pcall(json.decode, out)
  assert(ok, 'not JSON: ' .. tostring(v) .. '\n' .. out)
  return v
end

return M
