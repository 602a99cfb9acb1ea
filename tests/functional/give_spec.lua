-- What to give, in the editor (SPEC §5 v3): `:Kith log ask` and \ka log an ask; \kg on an open
-- ask's line logs the give that answers it and ticks the ask in the same undo step (a pick when
-- the ask has several counterparties); the annotation's ` · N open asks`, ` · birthday in Nd` and
-- ` · snoozed to DATE`; K lists open asks, the birthday, the snooze and introductions; :Kith
-- graph opens the network page (vim.ui.open) or shows the DOT text; completion after `#`.
-- Expectations come from `kith balances --json` / `kith graph` on the same vault where they can.

local t = require('support')

local KEY_TIMEOUT = t.KEY_TIMEOUT
local open_note, stub_ui, ui_calls = t.open_note, t.stub_ui, t.ui_calls
local type_keys, set_cursor = t.type_keys, t.set_cursor

local function float_lines()
  local lines = t.exec_lua([[
    local win = require('kith.hover').window()
    if not win then return nil end
    return vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false)
  ]])
  return type(lines) == 'table' and lines or nil
end

local function cursor_on(line, text, offset)
  local l = t.buf_lines()[line]
  local col = assert(l:find(text, 1, true), ('line %d has no %q: %s'):format(line, text, l))
  set_cursor(line, col - 1 + (offset or 0))
end

-- A small vault of its own: asks (one with two counterparties), a birthday in 3 days, a snooze.
local function give_vault()
  local dir = t.temp_dir()
  t.sh('mkdir -p ' .. t.shell_quote(dir .. '/people') .. ' ' .. t.shell_quote(dir .. '/daily'))
  t.write_file(dir .. '/.kith', '')
  t.write_file(dir .. '/people/bob.md', table.concat({
    '## Bob Stone @bob #birthday:1980-11-29', -- 1: in 3 days, turns 46
    '- 2026-11-20 #met coffee',                -- 2
    '- 2026-11-21 #ask a designer for the new site', -- 3: open
    '  with a portfolio in fintech',           -- 4
    '- [ ] 2026-11-22 #needs a reference',     -- 5: open (a box, no kind tag)
    '',
    '## Cai Li @cai #snooze:2026-12-15',       -- 7
    '- 2026-06-01 #gave',                      -- 8: 178 days ago, but snoozed
    '- 2026-06-02 #got',                       -- 9
    '',
  }, '\n'))
  t.write_file(dir .. '/daily/2026-11-25.md', table.concat({
    '# Wednesday',
    '',
    '- 2026-11-25 #ask @bob @cai a venue for the meetup', -- 3: two counterparties
    '- 2026-11-25 #gave #intro @bob @cai both run meetups', -- 4
    '',
  }, '\n'))
  return dir
end

describe('what to give', function()
  local vault
  before_each(function()
    vault = give_vault()
  end)
  after_each(function()
    t.teardown()
  end)

  it('annotations append open asks and a birthday within 7 days; a snoozed contact says so', function()
    local contacts = t.contacts(vault)
    assert.are.equal(3, #contacts.bob.asks)
    assert.are.equal(3, contacts.bob.birthday_in)
    assert.are.equal('2026-12-15', contacts.cai.snoozed_until)
    t.start()
    local buf = open_note(vault, 'people/bob.md', 1)
    local want = {
      [1] = t.annotation_for(contacts.bob),
      [7] = t.annotation_for(contacts.cai),
    }
    assert.is_truthy(want[1]:find(' · 3 open asks · birthday in 3d', 1, true), want[1])
    assert.is_truthy(want[7]:find(' · snoozed to 2026-12-15 · 1 open ask', 1, true), want[7])
    t.wait_for(function()
      local got = t.annotations(buf)
      return got[1] == want[1] and got[7] == want[7]
    end, KEY_TIMEOUT, t.dump(want), function()
      return t.dump(t.annotations(buf))
    end)
    -- An ask typed in counts at once (before it is written).
    t.request('nvim_buf_set_lines', buf, 9, 9, false, { '- 2026-11-26 #ask a second opinion' })
    t.wait_for(function()
      return (t.annotations(buf)[7] or ''):find(' · 2 open asks', 1, true) ~= nil
    end, KEY_TIMEOUT, 'two open asks for cai', function()
      return t.dump(t.annotations(buf))
    end)
  end)

  it(':Kith log ask and \\ka log `- {today} #ask {text}` where logging puts items', function()
    t.start()
    local buf = open_note(vault, 'people/bob.md', 1)
    set_cursor(2)
    local ok, msg = t.run_command('Kith log ask @cai an intro to a designer')
    assert.is_true(ok, msg)
    -- In cai's own section, after its last interaction (line 9).
    assert.are.equal('- ' .. t.TODAY .. ' #ask an intro to a designer', t.buf_lines(buf)[10])
    stub_ui({ input = 'beta testers' })
    set_cursor(5)
    -- In bob's section, after its last interaction (line 2: asks are none).
    type_keys('\\ka', function()
      return t.buf_lines(buf)[3] == '- ' .. t.TODAY .. ' #ask beta testers'
    end, '\\ka in bob\'s section', function()
      return t.dump(t.buf_lines(buf))
    end)
    assert.is_truthy(ui_calls().inputs[1]:find('@bob needs', 1, true), t.dump(ui_calls()))
    assert.are.equal('<Plug>(kith-log-ask)', t.exec_lua("return vim.fn.maparg('\\\\ka', 'n')"))
  end)

  it('\\kg on an open ask logs the give for its counterparty and ticks it, one undo step', function()
    t.start()
    local buf = open_note(vault, 'people/bob.md', 1)
    local orig = t.buf_lines(buf)
    stub_ui({ input = "Ana's portfolio" })
    set_cursor(4) -- on the ask's second line
    type_keys('\\kg', function()
      return #t.buf_lines(buf) == #orig + 1
    end, '\\kg inserts the give', function()
      return t.dump(t.buf_lines(buf))
    end)
    local lines = t.buf_lines(buf)
    assert.are.equal('- [x] 2026-11-21 #ask a designer for the new site', lines[3])
    assert.are.equal('  with a portfolio in fintech', lines[4])
    -- Right after the ask; in bob's own section, so without the handle.
    assert.are.equal('- ' .. t.TODAY .. " #gave Ana's portfolio", lines[5])
    assert.is_truthy(ui_calls().inputs[1]:find('gave @bob', 1, true), t.dump(ui_calls()))
    -- kith sees it: one ask fewer, one give more (and the introduction's in daily/).
    t.wait_for(function()
      return (t.annotations(buf)[1] or ''):find('↑2 ↓0 +2 · 0d · 2 open asks · birthday in 3d', 1, true) ~= nil
    end, KEY_TIMEOUT, 'bob after the give', function()
      return t.dump(t.annotations(buf))
    end)
    t.command('undo')
    assert.are.same(orig, t.buf_lines(buf), 'one undo takes back both the give and the tick')
    -- A box that is there is ticked in place.
    stub_ui({ input = 'Cai as a reference' })
    set_cursor(5)
    type_keys('\\kg', function()
      return #t.buf_lines(buf) == #orig + 1
    end, '\\kg on the boxed ask', function()
      return t.dump(t.buf_lines(buf))
    end)
    lines = t.buf_lines(buf)
    assert.are.equal('- [x] 2026-11-22 #needs a reference', lines[5])
    assert.are.equal('- ' .. t.TODAY .. ' #gave Cai as a reference', lines[6])
  end)

  it('\\kg on an ask with two counterparties asks whose; outside their section it names them', function()
    t.start()
    local buf = open_note(vault, 'daily/2026-11-25.md')
    local orig = t.buf_lines(buf)
    stub_ui({ select = 'cai', input = 'the guild hall' })
    set_cursor(3)
    type_keys('\\kg', function()
      return #t.buf_lines(buf) == #orig + 1
    end, '\\kg inserts the give', function()
      return t.dump(t.buf_lines(buf))
    end)
    local calls = ui_calls()
    assert.are.same({ 'bob', 'cai' }, calls.selects[1].handles)
    local lines = t.buf_lines(buf)
    assert.are.equal('- [x] 2026-11-25 #ask @bob @cai a venue for the meetup', lines[3])
    assert.are.equal('- ' .. t.TODAY .. ' #gave @cai the guild hall', lines[4])
    -- Cancelling the pick changes nothing.
    t.command('undo')
    stub_ui({ select = nil })
    local before = t.buf_lines(buf)
    set_cursor(3)
    t.request('nvim_input', '\\kg')
    t.wait_for(function()
      return #ui_calls().selects == 2
    end, KEY_TIMEOUT, 'asked again')
    t.sleep(100)
    assert.are.same(before, t.buf_lines(buf))
  end)

  it('K lists the open asks, the birthday, the snooze and whom you introduced them to', function()
    t.start()
    open_note(vault, 'daily/2026-11-25.md')
    cursor_on(4, '@bob', 1)
    t.request('nvim_input', 'K')
    local lines = t.wait_for(float_lines, KEY_TIMEOUT, 'the hover float')
    local text = table.concat(lines, '\n')
    local bob = t.contacts(vault).bob
    assert.are.equal(t.annotation_for(bob), lines[2])
    assert.is_truthy(text:find('Birthday 2026-11-29 (in 3 days, turns 46)', 1, true), text)
    assert.is_truthy(text:find('3 open asks: what they need', 1, true), text)
    for _, a in ipairs(bob.asks) do
      assert.is_truthy(text:find(a.date .. '  ' .. a.text, 1, true), a.text .. ' in ' .. text)
    end
    assert.is_truthy(text:find('You introduced them to\n  2026-11-25  @cai', 1, true), text)
    t.request('nvim_input', '<Esc>k')
    t.wait_for(function()
      return t.exec_lua("return require('kith.hover').window() == nil")
    end, KEY_TIMEOUT, 'moving closes the float')
    cursor_on(4, '@cai', 1)
    t.request('nvim_input', 'K')
    lines = t.wait_for(float_lines, KEY_TIMEOUT, 'the hover float for cai')
    text = table.concat(lines, '\n')
    assert.is_truthy(text:find('Snoozed until 2026-12-15', 1, true), text)
    assert.is_truthy(text:find('  2026-11-25  @bob', 1, true), text)
  end)

  it(':Kith graph opens the network page; :Kith graph dot shows the DOT text', function()
    t.start()
    open_note(vault, 'people/bob.md', 1)
    t.exec_lua([[
      _G.opened = {}
      if vim.ui.open then
        vim.ui.open = function(path) table.insert(_G.opened, path) return nil, nil end
      end
    ]])
    local ok, msg = t.run_command('Kith graph')
    assert.is_true(ok, msg)
    local opened = t.exec_lua('return _G.opened')
    local path
    if t.exec_lua('return vim.ui.open ~= nil') then
      assert.are.equal(1, #opened, 'vim.ui.open was called')
      path = opened[1]
    else -- Neovim 0.7.2: said where it is
      path = table.concat(t.messages(), '\n'):match('written to (%S+network%.html)')
    end
    assert(path and path:match('network%.html$'), 'the page: ' .. tostring(path))
    local page = t.read_file(path)
    assert.is_truthy(page:find('<svg class="network"', 1, true))
    assert.is_truthy(page:find('Bob Stone', 1, true))
    local ok2, msg2 = t.run_command('Kith graph dot')
    assert.is_true(ok2, msg2)
    assert.are.equal('kith://graph', t.exec_lua('return vim.api.nvim_buf_get_name(0)'))
    assert.are.equal('dot', t.exec_lua('return vim.bo.filetype'))
    local want = t.capture(('%s graph --dot --today %s %s'):format(t.shell_quote(t.KITH_BIN), t.TODAY,
      t.shell_quote(vault)))
    assert.are.equal(want, table.concat(t.buf_lines(), '\n') .. '\n')
    local bad_ok, bad = t.run_command('Kith graph svg')
    assert.is_truthy(not bad_ok or tostring(bad):find('kith: usage: :Kith graph', 1, true) or
      table.concat(t.messages(), '\n'):find('kith: usage: :Kith graph', 1, true), tostring(bad))
  end)

  it('completes kith\'s tags after # (omnifunc)', function()
    t.start()
    local buf = open_note(vault, 'people/bob.md', 1)
    t.request('nvim_buf_set_lines', buf, 9, 9, false, { '- 2026-11-26 #as' })
    local got = t.exec_lua([[
      vim.api.nvim_win_set_cursor(0, { 10, 17 })
      local start = vim.bo.omnifunc ~= '' and vim.fn[vim.bo.omnifunc:gsub('^v:lua%.', '')] and nil
      local complete = require('kith.complete')
      local s = complete.omnifunc(1, '')
      local items = complete.omnifunc(0, '#as')
      return { start = s, words = vim.tbl_map(function(i) return i.word end, items) }
    ]])
    assert.are.equal(13, got.start)
    assert.are.same({ '#ask' }, got.words)
    local all = t.exec_lua([[
      return vim.tbl_map(function(i) return i.word end, require('kith.complete').omnifunc(0, '#'))
    ]])
    for _, tag in ipairs({ '#gave', '#got', '#met', '#ask', '#intro', '#every:', '#snooze:', '#birthday:' }) do
      assert.is_true(vim.tbl_contains(all, tag), tag .. ' in ' .. t.dump(all))
    end
    -- A heading's `#` at the start of a line is not a tag.
    t.request('nvim_buf_set_lines', buf, 9, 10, false, { '#' })
    assert.are.equal(-3, t.exec_lua([[
      vim.api.nvim_win_set_cursor(0, { 10, 1 })
      return require('kith.complete').omnifunc(1, '')
    ]]))
  end)
end)
