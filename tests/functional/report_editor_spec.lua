-- Reports in the editor (SPEC §5 v2): :Kith report [week|month|quarter|year] shows `kith
-- report` in a scratch buffer with highlights, :Kith report html writes the page and opens it,
-- and annotations.sparkline = true appends the last 12 months of activity to the annotations.
-- Expectations come from the kith binary on the same copy of the example vault (`kith report`,
-- `kith history --json`, `kith balances --json`), never hard-coded.

local t = require('support')

local OPEN_TIMEOUT = 3000

local function kith_out(args)
  return t.capture(('%s %s --today %s 2>/dev/null'):format(t.shell_quote(t.KITH_BIN), args, t.TODAY))
end

local function lines_of(text)
  local out = vim.split(text, '\n', { plain = true })
  if out[#out] == '' then
    table.remove(out)
  end
  return out
end

local function open_note(vault, rel)
  t.start()
  local buf = t.edit(vault .. '/' .. rel)
  t.wait_for(function()
    return t.exec_lua("return require('kith').info(0) ~= nil")
  end, OPEN_TIMEOUT, rel .. ' attached')
  return buf
end

-- The report's extmarks: {row (1-based) -> {{text, group}, ...}}.
local function report_marks()
  local list = t.exec_lua([[
    local ns = vim.api.nvim_create_namespace('kith_report')
    local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
    local out = {}
    for _, m in ipairs(vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, { details = true })) do
      local row, col, d = m[2], m[3], m[4]
      table.insert(out, { row + 1, lines[row + 1]:sub(col + 1, d.end_col), d.hl_group })
    end
    return out
  ]])
  local out = {}
  for _, m in ipairs(list) do
    out[m[1]] = out[m[1]] or {}
    table.insert(out[m[1]], { m[2], m[3] })
  end
  return out
end

local function has_mark(marks, row, text, group)
  for _, m in ipairs(marks[row] or {}) do
    if m[1] == text and m[2] == group then
      return true
    end
  end
  return false
end

-- The row (1-based) of the first line of `lines` that begins with `prefix`.
local function row_of(lines, prefix)
  for i, l in ipairs(lines) do
    if l:sub(1, #prefix) == prefix then
      return i
    end
  end
  error('no line begins with ' .. prefix .. ' in ' .. t.dump(lines))
end

describe(':Kith report', function()
  local vault
  before_each(function()
    vault = t.copy_vault()
  end)
  after_each(function()
    t.teardown()
  end)

  it('shows `kith report` in a scratch buffer as wide as its window, highlighted', function()
    open_note(vault, 'people/acme.md')
    local ok, msg = t.run_command('Kith report')
    assert.is_true(ok, msg)
    local info = t.exec_lua([[
      return { name = vim.api.nvim_buf_get_name(0), buftype = vim.bo.buftype,
        filetype = vim.bo.filetype, modifiable = vim.bo.modifiable,
        width = vim.api.nvim_win_get_width(0), wins = #vim.api.nvim_list_wins() }
    ]])
    assert.are.equal('kith://report', info.name)
    assert.are.equal('nofile', info.buftype)
    assert.are.equal('kithreport', info.filetype)
    assert.is_false(info.modifiable)
    assert.are.equal(2, info.wins, 'a split below the note')
    local want = lines_of(kith_out(('report --width %d %s'):format(info.width, t.shell_quote(vault))))
    local got = t.buf_lines()
    assert.are.same(want, got)
    assert.is_truthy(got[1]:find('per month', 1, true))
    -- Highlights: the header, the handles, signed balances (bob owes: -3; carol gave: +4).
    local marks = report_marks()
    local header = row_of(got, 'Contact ')
    assert.are.equal('KithReportTitle', marks[1][1][2])
    assert.is_true(has_mark(marks, header, got[header], 'KithReportHeader'))
    local bob, carol, marta = row_of(got, '@bob '), row_of(got, '@carol '), row_of(got, '@marta-reis ')
    assert.is_true(has_mark(marks, bob, '@bob', 'KithReportHandle'), t.dump(marks[bob]))
    assert.is_true(has_mark(marks, bob, '-3', 'KithReportNegative'), t.dump(marks[bob]))
    assert.is_true(has_mark(marks, carol, '+4', 'KithReportPositive'), t.dump(marks[carol]))
    assert.is_true(has_mark(marks, marta, '±0', 'KithReportZero'), t.dump(marks[marta]))
    assert.is_true(has_mark(marks, row_of(got, 'Total '), 'Total', 'KithReportTotal'))
    -- Linked with default = true: a colour scheme's :hi clear keeps them.
    t.command('hi clear')
    for group, link in pairs({ KithReportHeader = 'Label', KithReportNegative = 'DiagnosticWarn',
      KithReportPositive = 'DiagnosticInfo', KithSparkline = 'Comment' }) do
      local hi = t.exec_capture('hi ' .. group)
      assert.is_truthy(hi:find('links to ' .. link, 1, true), hi)
    end
    -- q closes it.
    t.request('nvim_input', 'q')
    t.wait_for(function()
      return t.exec_lua("return #vim.api.nvim_list_wins() == 1 and vim.fn.bufnr('kith://report') == -1")
    end, OPEN_TIMEOUT, 'q closes the report')
    assert.is_truthy(t.exec_lua('return vim.api.nvim_buf_get_name(0)'):find('acme.md', 1, true))
  end)

  it('takes week, quarter and year; the buffer is reused; unsaved edits count', function()
    local buf = open_note(vault, 'people/acme.md')
    -- An unsaved give to Frank today.
    t.request('nvim_buf_set_lines', buf, 20, 20, true, { '- 2026-11-26 #gave:7 unsaved' })
    -- Frank's last period: this week and this quarter hold only the unsaved give; this year
    -- also his #gave:2 of June.
    for _, case in ipairs({ { 'week', ' 7/0' }, { 'quarter', ' 7/0' }, { 'year', ' 9/0' } }) do
      local unit, cell = case[1], case[2]
      local ok, msg = t.run_command('Kith report ' .. unit)
      assert.is_true(ok, msg)
      local got = t.buf_lines()
      assert.is_truthy(got[1]:find('per ' .. unit, 1, true), got[1])
      local frank = got[row_of(got, '@frank ')]
      local last = frank:match('^(.-)%s+%S+%s+%S+%s+%S+%s*$') -- before Total, Average, Balance
      assert.are.equal(cell, last:sub(-#cell), unit .. ': ' .. frank)
    end
    assert.are.equal(2, t.exec_lua('return #vim.api.nvim_list_wins()'), 'one report window')
    assert.is_falsy(t.read_file(vault .. '/people/acme.md'):find('unsaved', 1, true),
      'kith never writes the note')
  end)

  it('an unknown report is an error; completion offers the periods and html', function()
    open_note(vault, 'people/acme.md')
    local _, msg = t.run_command('Kith report fortnight')
    assert.is_truthy(msg:find('kith: unknown report', 1, true), msg)
    local words = t.exec_lua("return vim.fn.getcompletion('Kith report ', 'cmdline')")
    table.sort(words)
    assert.are.same({ 'html', 'month', 'quarter', 'week', 'year' }, words)
  end)

  it('html writes `kith report --html` to a temporary file and says where (no vim.ui.open)', function()
    open_note(vault, 'people/acme.md')
    t.exec_lua('vim.ui.open = nil') -- as on Neovim 0.7-0.9
    local ok, msg = t.run_command('Kith report html')
    assert.is_true(ok, msg)
    local path = msg:match('report written to (%S+%.html)')
    assert.is_truthy(path, msg)
    local page = t.read_file(path)
    local want = kith_out('report --html - ' .. t.shell_quote(vault))
    assert.is_truthy(page:find('^<!DOCTYPE html>'))
    assert.are.equal(want, page)
    os.remove(path)
    os.remove((path:gsub('/report%.html$', '')))
  end)

  it('html opens the page with vim.ui.open where there is one', function()
    open_note(vault, 'people/acme.md')
    t.exec_lua('vim.ui.open = function(path) _G.kith_opened = path end')
    local ok, msg = t.run_command('Kith report html')
    assert.is_true(ok, msg)
    local path = t.exec_lua('return _G.kith_opened')
    assert.is_truthy(type(path) == 'string' and path:find('%.html$'), t.dump(path))
    assert.is_truthy(t.read_file(path):find('<svg', 1, true))
    os.remove(path)
    os.remove((path:gsub('/report%.html$', '')))
  end)
end)

-- The sparkline of a contact: its counted items per month over the 12 months ending with
-- TODAY's, from `kith history --json`, one of ▁▂▃▄▅▆▇█ (ASCII _.-=#) per month scaled to the
-- busiest month, a space for none.
local function sparkline(vault, handle, ascii)
  local history = t.json_decode(kith_out(('history %s --json %s'):format(handle, t.shell_quote(vault))))
  local ty, tm = t.TODAY:match('^(%d+)-(%d+)')
  local now = tonumber(ty) * 12 + tonumber(tm)
  local counts, most = {}, 0
  for i = 1, 12 do
    counts[i] = 0
  end
  for _, it in ipairs(history.items) do
    if not it.planned and it.date ~= t.json_null then
      local y, m = it.date:match('^(%d+)-(%d+)')
      local back = now - (tonumber(y) * 12 + tonumber(m))
      if back >= 0 and back < 12 then
        counts[12 - back] = counts[12 - back] + 1
        most = math.max(most, counts[12 - back])
      end
    end
  end
  if most == 0 then
    return nil
  end
  local steps = ascii and { '_', '.', '-', '=', '#' } or { '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█' }
  local out = {}
  for i = 1, 12 do
    out[i] = counts[i] == 0 and ' ' or steps[math.ceil(counts[i] * #steps / most)]
  end
  return table.concat(out)
end

describe('annotations.sparkline', function()
  local vault
  before_each(function()
    vault = t.copy_vault()
  end)
  after_each(function()
    t.teardown()
  end)

  local function expect(contact, ascii)
    local base = t.annotation_for(contact)
    if ascii then
      base = base:gsub('↑', 'gave '):gsub('↓', 'got ')
    end
    local spark = sparkline(vault, contact.handle, ascii)
    local head, rest = base:match('^(.- · %d+d)(.*)$')
    assert.is_truthy(head and spark, base)
    return head .. ' ' .. spark .. rest, spark
  end

  for _, ascii in ipairs({ false, true }) do
    it(('draws the last 12 months after the numbers%s'):format(ascii and ' (ascii)' or ''), function()
      local contacts = t.contacts(vault)
      t.start({ setup = { annotations = { sparkline = true, ascii = ascii } } })
      local buf = t.edit(vault .. '/people/acme.md')
      local bob, spark = expect(contacts.bob, ascii) -- owes: the hint stays last
      local frank = expect(contacts.frank, ascii)
      assert.is_truthy(bob:find('your turn to give$'), bob)
      t.wait_for(function()
        local a = t.annotations(buf)
        return a[7] == bob and a[20] == frank
      end, OPEN_TIMEOUT, 'bob and frank with sparklines: ' .. bob .. ' / ' .. frank, function()
        return t.dump(t.annotations(buf))
      end)
      local hl
      for _, m in ipairs(t.extmarks(buf)) do
        if m.line == 7 then
          hl = m.hl
        end
      end
      assert.is_true(vim.tbl_contains(hl, 'KithSparkline'), t.dump(hl))
      assert.are.equal(12, vim.fn.strchars(spark))
    end)
  end

  it('follows unsaved edits', function()
    t.start({ setup = { annotations = { sparkline = true } } })
    local buf = t.edit(vault .. '/people/acme.md')
    t.wait_for(function()
      return (t.annotations(buf)[20] or ''):find('▁', 1, true) or (t.annotations(buf)[20] or ''):find('█', 1, true)
    end, OPEN_TIMEOUT, 'frank annotated')
    -- Frank's last 12 months: his 2026-05/06/08 items; five items today make November the
    -- busiest month by far.
    t.request('nvim_buf_set_lines', buf, 20, 20, true, {
      '- 2026-11-26 #met a', '- 2026-11-26 #met b', '- 2026-11-26 #met c', '- 2026-11-26 #met d',
      '- 2026-11-26 #met e',
    })
    t.wait_for(function()
      local a = t.annotations(buf)[20] or ''
      -- November (the last month) at the top, the other months scaled down to 1 of 5.
      return a:find('█$') and a:find('▂', 1, true)
    end, OPEN_TIMEOUT, 'the busiest month is now November (the last)', function()
      return t.annotations(buf)[20]
    end)
  end)

  it('is off by default', function()
    t.start()
    local buf = t.edit(vault .. '/people/acme.md')
    local contacts = t.contacts(vault)
    t.wait_for(function()
      return t.annotations(buf)[7] == t.annotation_for(contacts.bob)
    end, OPEN_TIMEOUT, 'bob without a sparkline', function()
      return t.dump(t.annotations(buf))
    end)
  end)
end)
