-- Functional tests of the kith command line against examples/vault.
--
-- Run from the repository root: tests/functional/run.sh (busted inside `nvim --headless`),
-- or, as it needs no Neovim, plain `busted tests/functional/cli_spec.lua`.
-- The binary is $KITH_BIN, else build/kith (what `make` builds).
-- JSON: Neovim's vim.json, else lua-cjson, else lua-dkjson. Works on LuaJIT and Lua 5.2.
--
-- The expected numbers live in tests/functional/expected/example_balances.json;
-- tests/functional/expected/README.md explains how each one follows from the spec.

local BIN = os.getenv('KITH_BIN') or 'build/kith'
local VAULT = 'examples/vault'
local TODAY = '2026-11-26'
local EXPECTED = 'tests/functional/expected/example_balances.json'
local SEED = '../shared/spec/seed-value-based-networking.txt'

-- JSON ----------------------------------------------------------------------

local json_decode, JSON_NULL
if vim and vim.json then
  json_decode, JSON_NULL = vim.json.decode, vim.NIL
else
  local ok, cjson = pcall(require, 'cjson')
  if ok then
    local cj = cjson.new and cjson.new() or cjson
    json_decode, JSON_NULL = cj.decode, cj.null
  else
    local dkjson = require('dkjson')
    JSON_NULL = dkjson.null
    json_decode = function(s)
      local v, _, err = dkjson.decode(s, 1, dkjson.null)
      if err then error(err) end
      return v
    end
  end
end

-- Helpers ---------------------------------------------------------------------

local function shell_quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function read_file(path)
  local f = io.open(path, 'rb')
  if not f then return nil end
  local data = f:read('*a')
  f:close()
  return data
end

local function write_file(path, data)
  local f = assert(io.open(path, 'wb'))
  f:write(data)
  f:close()
end

local function sh(cmd)
  -- os.execute's return value differs between 5.1 and 5.2: use a marker file.
  local rcfile = os.tmpname()
  os.execute('(' .. cmd .. '); echo $? > ' .. shell_quote(rcfile))
  local rc = tonumber((read_file(rcfile) or ''):match('%d+'))
  os.remove(rcfile)
  return rc
end

local function mktempdir()
  local p = os.tmpname()
  os.remove(p)
  assert(sh('mkdir -p ' .. shell_quote(p)) == 0, 'cannot create ' .. p)
  return p
end

local tempdirs = {}
local function tempdir()
  local d = mktempdir()
  tempdirs[#tempdirs + 1] = d
  return d
end

-- Runs kith with the given argument list; returns {code, out, err}.
local function kith(args)
  local out, err = os.tmpname(), os.tmpname()
  local parts = { shell_quote(BIN) }
  for _, a in ipairs(args) do parts[#parts + 1] = shell_quote(a) end
  local cmd = table.concat(parts, ' ')
  local code = sh(cmd .. ' </dev/null >' .. shell_quote(out) .. ' 2>' .. shell_quote(err))
  local r = { code = code, out = read_file(out) or '', err = read_file(err) or '', cmd = cmd }
  os.remove(out)
  os.remove(err)
  return r
end

local function describe_run(r)
  return ('`%s` exited %s\n--- stdout ---\n%s\n--- stderr ---\n%s'):format(
    r.cmd, tostring(r.code), r.out, r.err)
end

local function lines(s)
  local t = {}
  for l in (s .. '\n'):gmatch('(.-)\r?\n') do t[#t + 1] = l end
  if t[#t] == '' then t[#t] = nil end
  return t
end

local function nonempty_lines(s)
  local t = {}
  for _, l in ipairs(lines(s)) do
    if l:match('%S') then t[#t + 1] = l end
  end
  return t
end

local function plain_find(s, needle)
  return s:find(needle, 1, true) ~= nil
end

local function escape_pattern(s)
  return (s:gsub('[%^%$%(%)%%%.%[%]%*%+%-%?]', '%%%0'))
end

-- Deep comparison that lists every difference with its path.
local function describe_value(v)
  if v == JSON_NULL then return 'null' end
  if type(v) == 'string' then return ('%q'):format(v) end
  if type(v) == 'table' then return '<table>' end
  return tostring(v)
end

local function is_array(t)
  if type(t) ~= 'table' then return false end
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  for i = 1, n do if t[i] == nil then return false end end
  return true
end

local function diff(expected, actual, path, out)
  if type(expected) == 'table' and type(actual) == 'table' then
    if is_array(expected) and is_array(actual) and (#expected > 0 or #actual > 0) then
      if #expected ~= #actual then
        out[#out + 1] = ('%s: expected %d elements, got %d'):format(path, #expected, #actual)
      end
      for i = 1, math.min(#expected, #actual) do
        local label = path .. '[' .. i .. ']'
        local e = expected[i]
        if type(e) == 'table' and e.handle then label = label .. '(@' .. e.handle .. ')' end
        diff(e, actual[i], label, out)
      end
      for i = #expected + 1, #actual do
        out[#out + 1] = ('%s[%d]: unexpected extra element'):format(path, i)
      end
      return out
    end
    local keys = {}
    for k in pairs(expected) do keys[#keys + 1] = k end
    for k in pairs(actual) do if expected[k] == nil then keys[#keys + 1] = k end end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    for _, k in ipairs(keys) do
      local sub = path .. '.' .. tostring(k)
      if actual[k] == nil then
        out[#out + 1] = sub .. ': missing (expected ' .. describe_value(expected[k]) .. ')'
      elseif expected[k] == nil then
        out[#out + 1] = sub .. ': unexpected field = ' .. describe_value(actual[k])
      else
        diff(expected[k], actual[k], sub, out)
      end
    end
    return out
  end
  if expected ~= actual then
    out[#out + 1] = ('%s: expected %s, got %s'):format(path, describe_value(expected), describe_value(actual))
  end
  return out
end

local function assert_same(expected, actual, what)
  local d = diff(expected, actual, what, {})
  assert(#d == 0, what .. ' differs from the expected value:\n  ' .. table.concat(d, '\n  '))
end

local function expected_json()
  local data = assert(read_file(EXPECTED), 'cannot read ' .. EXPECTED)
  return json_decode(data)
end

local function decode_output(r)
  local ok, v = pcall(json_decode, r.out)
  assert(ok, 'stdout is not valid JSON (' .. tostring(v) .. ')\n' .. describe_run(r))
  return v
end

-- All files below a directory, with their bytes.
local function snapshot(dir)
  local listing = os.tmpname()
  assert(sh('cd ' .. shell_quote(dir) .. ' && find . -type f -o -type l | LC_ALL=C sort > '
    .. shell_quote(listing)) == 0)
  local snap = {}
  for _, rel in ipairs(lines(read_file(listing) or '')) do
    snap[rel] = read_file(dir .. '/' .. rel) or '<unreadable>'
  end
  os.remove(listing)
  return snap
end

-- The twelve questions of the seed, joined onto one line each.
local function seed_questions()
  local text = read_file(SEED)
  local source = SEED
  if not text then
    text = assert(read_file('templates/reflection.md'), 'neither the seed nor templates/reflection.md')
    source = 'templates/reflection.md'
  end
  local start = text:find('\n1%. ')
  assert(start, 'no numbered questions in ' .. source)
  local stop = text:find('Building a value', start, true) or text:find('\nNext step', start, true) or #text + 1
  local block = text:sub(start, stop - 1)
  if source ~= SEED then
    -- drop the answer items of the template
    block = block:gsub('\n%s*%-[^\n]*', '\n')
  end
  block = ' ' .. block:gsub('%s+', ' ') .. ' 13. '
  local qs = {}
  for n = 1, 12 do
    local a, b = block:find(' ' .. n .. '%. ')
    local c = block:find(' ' .. (n + 1) .. '%. ', b)
    assert(a and c, 'question ' .. n .. ' not found in ' .. source)
    qs[n] = block:sub(b + 1, c - 1):match('^%s*(.-)%s*$')
  end
  return qs, source
end

local function assert_usage_error(r, what)
  assert(r.code == 2, what .. ': expected exit 2\n' .. describe_run(r))
  local errl = nonempty_lines(r.err)
  assert(#errl == 1, what .. ': expected exactly one line on stderr\n' .. describe_run(r))
  assert(r.out == '', what .. ': expected nothing on stdout\n' .. describe_run(r))
end

-- Tests -------------------------------------------------------------------------

describe('kith CLI', function()
  setup(function()
    local f = io.open(BIN, 'rb')
    assert(f, 'kith binary not found at ' .. BIN .. ' (run make, or set KITH_BIN)')
    f:close()
  end)

  teardown(function()
    for _, d in ipairs(tempdirs) do sh('rm -rf ' .. shell_quote(d)) end
  end)

  describe('balances --json', function()
    it('matches tests/functional/expected/example_balances.json field by field', function()
      local r = kith({ 'balances', '--json', '--today', TODAY, VAULT })
      assert(r.code == 0, describe_run(r))
      assert_same(expected_json(), decode_output(r), 'balances')
    end)

    it('lists contacts sorted by handle and diagnostics by path, line, column', function()
      local got = decode_output(kith({ 'balances', '--json', '--today', TODAY, VAULT }))
      for i = 2, #got.contacts do
        assert(got.contacts[i - 1].handle < got.contacts[i].handle, 'contacts out of order at ' .. i)
      end
      for i = 2, #got.diagnostics do
        local a, b = got.diagnostics[i - 1], got.diagnostics[i]
        local before = a.path < b.path or (a.path == b.path and (a.line < b.line
          or (a.line == b.line and a.column <= b.column)))
        assert(before, 'diagnostics out of order at ' .. i)
      end
    end)

    it('honours --dormant-days and --accept-help-after', function()
      local got = decode_output(kith({ 'balances', '--json', '--today', TODAY,
        '--dormant-days', '89', '--accept-help-after', '5', VAULT }))
      local status = {}
      for _, c in ipairs(got.contacts) do status[c.handle] = c.status end
      -- frank: 90 days since his last item, dormant only when the limit is below 90
      assert.are.equal('dormant', status.frank)
      -- carol gave 3 and got nothing: with a threshold of 5 she is ok
      assert.are.equal('ok', status.carol)
      assert.are.equal('owe', status.dan) -- (v3) snoozed until 2027-01-11: never dormant

      got = decode_output(kith({ 'balances', '--json', '--today', TODAY, '--dormant-days', '200', VAULT }))
      status = {}
      for _, c in ipairs(got.contacts) do status[c.handle] = c.status end
      -- dan: 164 days, balance -2: owe once he is no longer dormant
      assert.are.equal('owe', status.dan)
      assert.are.equal('let-them-help', status.carol)
    end)
  end)

  describe('balances (text)', function()
    it('prints a header and one row per contact with its status word', function()
      local r = kith({ 'balances', '--today', TODAY, VAULT })
      assert(r.code == 0, describe_run(r))
      local rows = {}
      for _, l in ipairs(nonempty_lines(r.out)) do
        if not l:match('^[%s%-=+|:]+$') then rows[#rows + 1] = l end -- skip rule lines
      end
      local contacts = expected_json().contacts
      assert(#rows == #contacts + 1,
        ('expected a header and %d rows\n'):format(#contacts) .. describe_run(r))
      assert(rows[1]:lower():find('status', 1, true), 'header names no status column: ' .. rows[1])
      for _, c in ipairs(contacts) do
        local found = {}
        local hpat = '%f[%w_.@]@?' .. escape_pattern(c.handle) .. '%f[^%w_.%-]'
        for i = 2, #rows do
          if rows[i]:find(hpat) then found[#found + 1] = rows[i] end
        end
        assert(#found == 1, ('expected one row for @%s, found %d\n'):format(c.handle, #found) .. r.out)
        local spat = '%f[%w%-]' .. escape_pattern(c.status) .. '%f[^%w%-]'
        assert(found[1]:find(spat), ('row for @%s lacks status %q: %s'):format(c.handle, c.status, found[1]))
      end
    end)
  end)

  describe('check', function()
    it('prints sorted path:line:col: severity: message lines and exits 1', function()
      local r = kith({ 'check', '--today', TODAY, VAULT })
      assert(r.code == 1, 'expected exit 1 (the vault has errors)\n' .. describe_run(r))
      local want = expected_json().diagnostics
      local got = nonempty_lines(r.out)
      assert(#got == #want, ('expected %d diagnostics\n'):format(#want) .. describe_run(r))
      for i, d in ipairs(want) do
        local path, line, col, sev, msg = got[i]:match('^(.-):(%d+):(%d+): (%a+): (.*)$')
        assert(path, 'not path:line:col: severity: message: ' .. got[i])
        assert(path == d.path or path == VAULT .. '/' .. d.path,
          ('line %d: path %q, expected %q'):format(i, path, d.path))
        assert.are.same({ d.line, d.column, d.severity, d.message },
          { tonumber(line), tonumber(col), sev, msg })
      end
    end)

    it('--json reports the same diagnostics as balances --json', function()
      local r = kith({ 'check', '--json', '--today', TODAY, VAULT })
      assert(r.code == 1, describe_run(r))
      local got = decode_output(r)
      if not is_array(got) or (got.diagnostics ~= nil) then got = got.diagnostics end
      assert_same(expected_json().diagnostics, got, 'check.diagnostics')
    end)

    it('exits 0 on a clean copy of people/', function()
      local dir = tempdir()
      assert(sh('cp -R ' .. shell_quote(VAULT .. '/people') .. ' ' .. shell_quote(dir .. '/people')) == 0)
      local r = kith({ 'check', '--today', TODAY, dir })
      assert(r.code == 0, describe_run(r))
      assert(#nonempty_lines(r.out) == 0, 'people/ should have no diagnostics\n' .. describe_run(r))
    end)
  end)

  describe('usage errors exit 2 with one line on stderr', function()
    it('unknown command', function()
      assert_usage_error(kith({ 'frobnicate', VAULT }), 'unknown command')
    end)
    it('missing vault argument', function()
      assert_usage_error(kith({ 'balances', '--today', TODAY }), 'missing vault')
    end)
    it('vault that does not exist', function()
      assert_usage_error(kith({ 'balances', '--today', TODAY, 'examples/no-such-vault' }), 'no such vault')
    end)
    it('bad --today', function()
      assert_usage_error(kith({ 'balances', '--today', '2026-02-30', VAULT }), '--today 2026-02-30')
      assert_usage_error(kith({ 'balances', '--today', 'tomorrow', VAULT }), '--today tomorrow')
    end)
  end)

  describe('--version and --help', function()
    it('--version exits 0 and prints a version', function()
      local r = kith({ '--version' })
      assert(r.code == 0, describe_run(r))
      assert(r.out:match('%d+%.%d+'), 'no version number\n' .. describe_run(r))
    end)
    it('--help exits 0 and lists the commands', function()
      local r = kith({ '--help' })
      assert(r.code == 0, describe_run(r))
      for _, word in ipairs({ 'balances', 'check', 'template', 'serve' }) do
        assert(plain_find(r.out, word), '--help does not mention ' .. word .. '\n' .. describe_run(r))
      end
    end)
  end)

  describe('template', function()
    it('reflection holds the twelve questions of the seed word for word', function()
      local r = kith({ 'template', 'reflection', '--today', TODAY })
      assert(r.code == 0, describe_run(r))
      assert(plain_find(r.out, TODAY), 'reflection is not dated ' .. TODAY .. '\n' .. r.out)
      local qs, source = seed_questions()
      assert.are.equal(12, #qs)
      for n, q in ipairs(qs) do
        assert(plain_find(r.out, '\n' .. n .. '. ' .. q .. '\n'),
          ('question %d (from %s) missing or altered: %s\n'):format(n, source, q) .. r.out)
      end
      assert(not plain_find(r.out, '{{'), 'unexpanded placeholder\n' .. r.out)
    end)

    it('contact takes the name from the vault', function()
      local r = kith({ 'template', 'contact', '--handle', 'alice', '--today', TODAY, VAULT })
      assert(r.code == 0, describe_run(r))
      assert(r.out:find('^## Alice Chen @alice\n') or plain_find(r.out, '\n## Alice Chen @alice\n'),
        'no "## Alice Chen @alice" line\n' .. r.out)
      assert(not plain_find(r.out, '{{'), 'unexpanded placeholder\n' .. r.out)
    end)

    it('meeting names the person and the date', function()
      local r = kith({ 'template', 'meeting', '--handle', 'grace', '--today', TODAY, VAULT })
      assert(r.code == 0, describe_run(r))
      for _, s in ipairs({ 'Grace Park', '@grace', TODAY }) do
        assert(plain_find(r.out, s), 'meeting lacks ' .. s .. '\n' .. r.out)
      end
      assert(not plain_find(r.out, '{{'), 'unexpanded placeholder\n' .. r.out)
    end)

    it('review lists dormant, owe and let-them-help contacts', function()
      local r = kith({ 'template', 'review', '--today', TODAY, VAULT })
      assert(r.code == 0, describe_run(r))
      for _, h in ipairs({ '@dan', '@bob', '@carol' }) do
        assert(r.out:find('\n%- ' .. escape_pattern(h) .. '%f[^%w_.%-]'), 'review lacks a "- ' .. h .. '" line\n' .. r.out)
      end
      assert(not plain_find(r.out, '{{'), 'unexpanded placeholder\n' .. r.out)
    end)

    it('unknown template exits 2 naming it', function()
      local r = kith({ 'template', 'no-such-template', '--today', TODAY })
      assert_usage_error(r, 'unknown template')
      assert(plain_find(r.err, 'no-such-template'), 'stderr does not name the template\n' .. describe_run(r))
    end)

    it('a templates dir overrides built-ins and adds new ones', function()
      local dir = tempdir()
      write_file(dir .. '/meeting.md', 'Custom prep for {{name}} on {{date}}\n')
      write_file(dir .. '/thanks.md', '- Thank @{{handle}} ({{name}})\n')
      local r = kith({ 'template', 'meeting', '--handle', 'alice', '--today', TODAY, '--templates', dir, VAULT })
      assert(r.code == 0, describe_run(r))
      assert.are.equal('Custom prep for Alice Chen on ' .. TODAY .. '\n', r.out)
      r = kith({ 'template', 'thanks', '--handle', 'bob', '--today', TODAY, '--templates', dir, VAULT })
      assert(r.code == 0, describe_run(r))
      assert.are.equal('- Thank @bob (Bob Martins)\n', r.out)
    end)

    it('an unknown placeholder fails naming the template, line and placeholder', function()
      local dir = tempdir()
      write_file(dir .. '/broken.md', '## Notes {{date}}\n\n- Ask about {{project}}\n')
      local r = kith({ 'template', 'broken', '--today', TODAY, '--templates', dir })
      assert(r.code ~= 0, 'expected a failure\n' .. describe_run(r))
      assert(r.out == '', 'nothing may be printed on stdout\n' .. describe_run(r))
      assert(plain_find(r.err, 'broken'), 'stderr does not name the template\n' .. describe_run(r))
      assert(r.err:find('%f[%d]3%f[%D]'), 'stderr does not name line 3\n' .. describe_run(r))
      assert(plain_find(r.err, 'project'), 'stderr does not name the placeholder\n' .. describe_run(r))
    end)
  end)

  describe('read-only', function()
    it('leaves every vault file byte-for-byte unchanged', function()
      local before = snapshot(VAULT)
      assert(before['./people/alice.md'], 'snapshot found no files')
      local tdir = tempdir()
      write_file(tdir .. '/meeting.md', 'Custom {{name}}\n')
      local runs = {
        { 'balances', '--today', TODAY, VAULT },
        { 'balances', '--json', '--today', TODAY, VAULT },
        { 'balances', '--json', '--today', TODAY, '--dormant-days', '30', '--accept-help-after', '1', VAULT },
        { 'check', '--today', TODAY, VAULT },
        { 'check', '--json', '--today', TODAY, VAULT },
        { 'template', 'reflection', '--today', TODAY, VAULT },
        { 'template', 'contact', '--handle', 'alice', '--today', TODAY, VAULT },
        { 'template', 'meeting', '--handle', 'bob', '--today', TODAY, VAULT },
        { 'template', 'review', '--today', TODAY, VAULT },
        { 'template', 'meeting', '--handle', 'bob', '--today', TODAY, '--templates', tdir, VAULT },
        { 'template', 'nope', VAULT },
        { 'frobnicate', VAULT },
      }
      for _, args in ipairs(runs) do kith(args) end
      local after = snapshot(VAULT)
      local problems = {}
      for path, data in pairs(before) do
        if after[path] == nil then problems[#problems + 1] = path .. ' was removed'
        elseif after[path] ~= data then problems[#problems + 1] = path .. ' was changed' end
      end
      for path in pairs(after) do
        if before[path] == nil then problems[#problems + 1] = path .. ' was created' end
      end
      table.sort(problems)
      assert(#problems == 0, 'kith wrote to the vault:\n  ' .. table.concat(problems, '\n  '))
    end)
  end)
end)
