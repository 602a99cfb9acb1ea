-- Functional tests of `kith report` (SPEC §3 v2) on a small vault written here by hand.
--
-- Self-contained like agenda_spec.lua: it runs the binary with cli.lua (io.popen) and decodes JSON with
-- vim.json (in Neovim) or lua-cjson. The binary is $KITH_BIN, else build/kith.
--
-- Today is 2027-01-06, a Wednesday. 2026 began on a Thursday, so it has an ISO week 53, which
-- runs from Monday 2026-12-28 to Sunday 2027-01-03; 2027-W01 begins on Monday 2027-01-04. And
-- 2026-W01 began on Monday 2025-12-29. Every expected number is worked out in the comments.

local cli = require('cli')
local kith, shell_quote = cli.run, cli.shell_quote
local TODAY = '2027-01-06'

local json = (vim and vim.json) or require('cjson')

local NOTES = {
  ['people/ana.md'] = table.concat({
    '## Ana Lima @ana', --                1
    '- 2026-06-15 #gave:3 old favour', -- 2: 2026-06, 2026-Q2, 2026-W25
    '- 2026-12-28 #gave intro', --        3: 2026-W53 (its Monday), 2026-12
    '- 2027-01-01 #got:2 advice', --      4: 2026-W53 (a Friday), 2027-01
    '- 2027-01-04 #met coffee', --        5: 2027-W01
  }, '\n'),
  ['people/ben.md'] = table.concat({
    '## Ben "The Builder" Ono, Jr. @ben', -- 1: a name CSV must quote
    '- 2025-12-29 #got before', --           2: 2026-W01 (!), 2025-12, 2025-Q4
    '- 2026-12-31 #gave #got swap', --       3: 2026-W53, 2026-12
  }, '\n'),
  ['daily/2027-01-03.md'] = table.concat({
    '- #met @ana, @ben year-end call', --    1: 2027-01-03 (a Sunday: 2026-W53), both
    '- 2027-01-07 #gave @ana tomorrow', --   2: after today: not counted
    '- [ ] 2027-01-05 #gave @ben planned', -- 3: a follow-up: never counted
  }, '\n'),
  ['people/cy.md'] = '## Cy Park @cy\n', -- declared, never met: no row
}

local function read_file(path)
  local f = io.open(path, 'rb')
  if not f then
    return nil
  end
  local data = f:read('*a')
  f:close()
  return data
end

local function run(cmd)
  local p = assert(io.popen(cmd .. ' 2>&1; echo "exit:$?"', 'r'))
  local out = p:read('*a')
  p:close()
  return out:gsub('exit:%d+%s*$', ''), tonumber(out:match('exit:(%d+)%s*$'))
end

local function make_vault()
  local dir = os.tmpname()
  os.remove(dir)
  for path, text in pairs(NOTES) do
    local full = dir .. '/' .. path
    run('mkdir -p ' .. shell_quote(full:match('^(.*)/')))
    local f = assert(io.open(full, 'wb'))
    f:write(text, '\n')
    f:close()
  end
  return dir
end

local function report(vault, ...)
  local args = { 'report', '--today', TODAY }
  for _, a in ipairs({ ... }) do
    args[#args + 1] = a
  end
  args[#args + 1] = vault
  local out, code, err = kith(args)
  assert.are.equal(0, code, 'kith report exited ' .. tostring(code) .. ': ' .. err)
  return out, err
end

local function report_json(vault, ...)
  local out = report(vault, '--json', ...)
  return json.decode(out)
end

-- Twelve zeros with `values` ({[index] = n}) set.
local function months(values)
  local t = {}
  for i = 1, 12 do
    t[i] = values[i] or 0
  end
  return t
end

describe('kith report', function()
  local vault
  before_each(function()
    vault = make_vault()
  end)
  after_each(function()
    run('rm -rf ' .. shell_quote(vault))
  end)

  it('--by week puts the days of ISO week 53 and week 1 where ISO 8601 says', function()
    local r = report_json(vault, '--by', 'week', '--from', '2026-12-28', '--to', TODAY)
    assert.are.same({
      today = TODAY,
      by = 'week',
      periods = { '2026-W53', '2027-W01' },
      rows = {
        -- ana: 12-28 gave 1, 01-01 got 2, 01-03 met (W53); 01-04 met (W01)
        { handle = 'ana', name = 'Ana Lima', gave = { 1, 0 }, got = { 2, 0 }, met = { 1, 1 },
          total = { gave = 1, got = 2, met = 2 } },
        -- ben: 12-31 gave 1 got 1, 01-03 met (W53)
        { handle = 'ben', name = 'Ben "The Builder" Ono, Jr.', gave = { 1, 0 }, got = { 1, 0 },
          met = { 1, 0 }, total = { gave = 1, got = 1, met = 1 } },
      },
      totals = { gave = { 2, 0 }, got = { 3, 0 }, met = { 2, 1 } },
    }, r)
  end)

  it('puts 2025-12-29 in 2026-W01', function()
    local r = report_json(vault, '--by', 'week', '--from', '2025-12-29', '--to', '2025-12-31')
    assert.are.same({ '2026-W01' }, r.periods)
    assert.are.equal(1, #r.rows)
    assert.are.equal('ben', r.rows[1].handle)
    assert.are.same({ 1 }, r.rows[1].got)
  end)

  it('by month: the 12 months ending with today, one number per month', function()
    local r = report_json(vault)
    assert.are.equal('month', r.by)
    assert.are.same({ '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08',
      '2026-09', '2026-10', '2026-11', '2026-12', '2027-01' }, r.periods)
    assert.are.equal(2, #r.rows) -- cy has no interaction; ben's 2025-12 is before the range
    -- ana: 2026-06 gave 3 (index 5), 2026-12 gave 1 (11), 2027-01 got 2 and met twice (12)
    assert.are.same(months({ [5] = 3, [11] = 1 }), r.rows[1].gave)
    assert.are.same(months({ [12] = 2 }), r.rows[1].got)
    assert.are.same(months({ [12] = 2 }), r.rows[1].met)
    assert.are.same({ gave = 4, got = 2, met = 2 }, r.rows[1].total)
    -- ben: 2026-12 gave 1 got 1; 2027-01 met
    assert.are.same(months({ [11] = 1 }), r.rows[2].gave)
    assert.are.same(months({ [11] = 1 }), r.rows[2].got)
    assert.are.same(months({ [12] = 1 }), r.rows[2].met)
    assert.are.same(months({ [5] = 3, [11] = 2 }), r.totals.gave)
    assert.are.same(months({ [11] = 1, [12] = 2 }), r.totals.got)
    assert.are.same(months({ [12] = 3 }), r.totals.met)
  end)

  it('--to moves the range; --from starts it at the period holding it', function()
    local r = report_json(vault, '--from', '2025-12-31', '--to', '2026-01-01')
    assert.are.same({ '2025-12', '2026-01' }, r.periods)
    assert.are.equal(1, #r.rows)
    assert.are.same({ 1, 0 }, r.rows[1].got) -- ben's 2025-12-29
    r = report_json(vault, '--to', '2026-06-30')
    assert.are.equal('2025-07', r.periods[1])
    assert.are.equal('2026-06', r.periods[12])
    assert.are.same(months({ [6] = 1 }), r.totals.got) -- ben's 2025-12 is the 6th month
    assert.are.same(months({ [12] = 3 }), r.totals.gave) -- ana's 2026-06
  end)

  it('by quarter and by year', function()
    local r = report_json(vault, '--by', 'quarter', '--from', '2025-10-01')
    assert.are.same({ '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4', '2027-Q1' }, r.periods)
    assert.are.same({ 0, 0, 3, 0, 1, 0 }, r.rows[1].gave) -- ana
    assert.are.same({ 0, 0, 0, 0, 0, 2 }, r.rows[1].got)
    assert.are.same({ 1, 0, 0, 0, 1, 0 }, r.rows[2].got) -- ben
    r = report_json(vault, '--by', 'year')
    assert.are.equal(12, #r.periods)
    assert.are.equal('2016', r.periods[1])
    assert.are.equal('2027', r.periods[12])
    assert.are.same({ 4, 0 }, { r.rows[1].gave[11], r.rows[1].gave[12] }) -- ana: 2026, 2027
    assert.are.same({ 1, 1, 0 }, { r.rows[2].got[10], r.rows[2].got[11], r.rows[2].got[12] })
  end)

  it('--handle (repeatable, any case, with or without @) keeps only those rows', function()
    local r = report_json(vault, '--handle', '@BEN')
    assert.are.equal(1, #r.rows)
    assert.are.equal('ben', r.rows[1].handle)
    assert.are.same(months({ [11] = 1 }), r.totals.gave) -- ben's alone
    r = report_json(vault, '--handle', 'ben', '--handle', 'ana')
    assert.are.equal(2, #r.rows)
    local out, code, err = kith({ 'report', '--json', '--today', TODAY, '--handle', 'nobody', vault })
    assert.are.equal(0, code)
    assert.are.same({}, json.decode(out).rows)
    assert.is_truthy(err:find('nobody', 1, true), 'an unknown handle is named on stderr: ' .. err)
  end)

  it('--csv: a header, one line per contact and period, names quoted as RFC 4180 says', function()
    local out = report(vault, '--csv', '--by', 'week', '--from', '2026-12-28')
    assert.are.equal(table.concat({
      'handle,name,period,gave,got,met',
      'ana,Ana Lima,2026-W53,1,2,1',
      'ana,Ana Lima,2027-W01,0,0,1',
      'ben,"Ben ""The Builder"" Ono, Jr.",2026-W53,1,1,1',
      'ben,"Ben ""The Builder"" Ono, Jr.",2027-W01,0,0,0',
    }, '\n') .. '\n', out)
  end)

  it('text: contacts × periods, gave/got per cell, Total, Average, Balance, a Total row', function()
    local out = report(vault, '--by', 'week', '--from', '2026-12-28')
    -- Widths: Contact 7, periods 8 (their labels), Total 5, Average 7, Balance 7.
    local function line(c, a, b, t, avg, bal)
      return ('%-7s  %8s  %8s  %5s  %7s  %s'):format(c, a, b, t, avg, bal)
    end
    assert.are.equal(table.concat({
      'Gave/got per week, 2026-W53 to 2027-W01 (today 2027-01-06)',
      '',
      line('Contact', '2026-W53', '2027-W01', 'Total', 'Average', 'Balance'),
      line('@ana', '1/2', '0/0', '1/2', '0.5/1.0', '     -1'), -- W01: a touch point only
      line('@ben', '1/1', '-', '1/1', '0.5/0.5', '     ±0'),
      string.rep('-', 7 + 10 + 10 + 7 + 9 + 9),
      line('Total', '2/3', '0/0', '2/3', '1.0/1.5', '     -1'),
    }, '\n') .. '\n', out)
  end)

  it('text leaves the earliest periods out to fit 100 columns, and says so', function()
    local out = report(vault, '--by', 'week')
    for l in out:gmatch('[^\n]+') do
      local cols = select(2, l:gsub('[^\128-\191]', ''))
      assert.is_true(cols <= 100, ('%d columns: %s'):format(cols, l))
    end
    assert.is_truthy(out:find('left out to fit 100 columns', 1, true), out)
    assert.is_truthy(out:find('2027-W01', 1, true))
    local wide = report(vault, '--by', 'week', '--width', '0')
    assert.is_falsy(wide:find('left out', 1, true))
    assert.is_truthy(wide:find('2026-W43  ', 1, true), wide) -- 12 weeks: W43 .. W53, W01
  end)

  it('--html FILE writes one self-contained page there and nothing else', function()
    local dir = os.tmpname()
    os.remove(dir)
    run('mkdir -p ' .. shell_quote(dir))
    local before = run('cd ' .. shell_quote(vault) .. ' && find . -type f | sort | xargs cat | cksum')
    local out, code, err = kith({ 'report', '--html', dir .. '/r.html', '--today', TODAY, vault })
    assert.are.equal(0, code, err)
    assert.are.equal('', out)
    assert.are.equal('r.html\n', (run('ls -A ' .. shell_quote(dir))))
    local after = run('cd ' .. shell_quote(vault) .. ' && find . -type f | sort | xargs cat | cksum')
    assert.are.equal(before, after, 'the vault is unchanged')
    local page = read_file(dir .. '/r.html')
    run('rm -rf ' .. shell_quote(dir))
    assert.is_truthy(page:find('^<!DOCTYPE html>'))
    assert.are.equal(4, select(2, page:gsub('<svg', ''))) -- bars, lines, calendar, network (v3)
    for _, bad in ipairs({ '<script', 'http', 'src=', 'url(', '@import', '<link', '<img' }) do
      assert.is_falsy(page:lower():find(bad, 1, true), 'the page holds ' .. bad)
    end
    assert.is_truthy(page:find('Ben &quot;The Builder&quot; Ono, Jr.', 1, true))
    for _, bad in ipairs({ 'nan', 'inf' }) do
      assert.is_falsy(page:find('="' .. bad, 1, true) or page:find('="-' .. bad, 1, true))
    end
  end)

  it('usage errors exit 2 with one line on stderr', function()
    local cases = {
      { '--by', 'fortnight' },
      { '--from', '2027-01-05', '--to', '2027-01-01' },
      { '--from', '2026-02-30' },
      { '--json', '--csv' },
      { '--json', '--html', '/tmp/x.html' },
      { '--width', 'wide' },
      { '--by', 'week', '--from', '1990-01-01' },
    }
    for _, args in ipairs(cases) do
      local full = { 'report', '--today', TODAY }
      for _, a in ipairs(args) do
        full[#full + 1] = a
      end
      full[#full + 1] = vault
      local out, code, err = kith(full)
      local what = table.concat(args, ' ')
      assert.are.equal(2, code, what)
      assert.are.equal('', out, what)
      assert.are.equal(1, select(2, err:gsub('\n', '')), what .. ': ' .. err)
    end
  end)
end)
