-- Vaults as Obsidian and folder CRMs keep them, in Neovim (SPEC §1 v3, §5): contact notes found
-- by rule carry their annotation on line 1; go-to, hover and completion know derived handles
-- and the names meetings give; `.kith` shows its diagnostics and, written (in Neovim or on
-- disk), takes effect at once; :checkhealth lists the settings and where each came from; an
-- editor option given beats `.kith`.

local t = require('support')

local PROPERTIES = t.ROOT .. '/tests/functional/vaults/v3-properties/vault'
local OPEN_TIMEOUT = 3000

local function open_note(vault, rel, line)
  local buf = t.edit(vault .. '/' .. rel)
  t.wait_for(function()
    return t.annotations(buf)[line]
  end, OPEN_TIMEOUT, rel .. ': an annotation on line ' .. line, function()
    return t.dump(t.annotations(buf))
  end)
  return buf
end

local function where()
  return t.exec_lua([[
    local c = vim.api.nvim_win_get_cursor(0)
    return { file = vim.api.nvim_buf_get_name(0), line = c[1] }
  ]])
end

describe('vaults kept by properties and folders, in Neovim', function()
  after_each(function()
    t.teardown()
  end)

  it('contact notes found by a rule carry their annotation on line 1, as the CLI counts', function()
    local vault = t.copy_vault(PROPERTIES)
    local contacts = t.contacts(vault)
    t.start()
    for _, case in ipairs({
      { rel = 'References/Steph Ango.md', handle = 'steph-ango' }, -- categories: [[People]]
      { rel = 'References/Inês Sá.md', handle = 'ines-sa' },       -- tags: [person]
      { rel = 'References/Dana Whitfield.md', handle = 'dana-whitfield' },
    }) do
      local buf = open_note(vault, case.rel, 1)
      assert.are.equal(t.annotation_for(contacts[case.handle]), t.annotations(buf)[1], case.rel)
    end
  end)

  it('gd, K and completion know derived handles and the names meetings give', function()
    local vault = t.copy_vault(PROPERTIES)
    local contacts = t.contacts(vault)
    t.start()
    local buf = open_note(vault, 'References/Steph Ango.md', 1)
    -- Completion: the derived handle after @, a meeting's name of an undeclared contact after [[.
    local function offered(kind, prefix)
      return t.exec_lua([[
        local vault, kind, prefix = ...
        require('kith.host').wait_vault(vault, 3000)
        local out = {}
        for _, c in ipairs(require('kith.complete').candidates(vault, { kind = kind, prefix = prefix }, true)) do
          table.insert(out, c.label)
        end
        return out
      ]], vault, kind, prefix)
    end
    assert.are.same({ '@ines-sa' }, offered('handle', 'ines'))
    assert.are.same({ 'Carol Diaz' }, offered('link', 'Carol'))
    -- K and gd on [[Carol Diaz]] (a name only a meeting gave): her numbers; her first item.
    t.request('nvim_buf_set_lines', buf, -1, -1, false, { '', 'Ask [[Carol Diaz]] about it.' })
    local last = t.request('nvim_buf_line_count', buf)
    t.request('nvim_win_set_cursor', 0, { last, 7 })
    t.command('normal K')
    local float = t.wait_for(function()
      return t.exec_lua([[
        for _, win in ipairs(vim.api.nvim_list_wins()) do
          if vim.api.nvim_win_get_config(win).relative ~= '' then
            return table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), '\n')
          end
        end
        return false
      ]])
    end, OPEN_TIMEOUT, 'the hover of [[Carol Diaz]]')
    assert.is_truthy(float:find('Carol Diaz', 1, true), float)
    assert.is_truthy(float:find(t.annotation_for(contacts['carol-diaz']), 1, true), float)
    t.exec_lua([[
      for _, win in ipairs(vim.api.nvim_list_wins()) do
        if vim.api.nvim_win_get_config(win).relative ~= '' then
          vim.api.nvim_win_close(win, true)
        end
      end
    ]])
    t.command('set hidden') -- the note has unsaved text; gd opens another
    t.request('nvim_win_set_cursor', 0, { last, 7 })
    t.command('normal gd')
    -- Her earliest-placed counted item (she is declared nowhere): from `kith history`.
    local hist = t.json_decode(t.capture(('%s history carol-diaz --json --today %s %s'):format(
      t.shell_quote(t.KITH_BIN), t.TODAY, t.shell_quote(vault))))
    local first
    for _, it in ipairs(hist.items) do
      if not it.planned and (not first or it.path < first.path or (it.path == first.path and it.line < first.line)) then
        first = it
      end
    end
    t.wait_for(function()
      local w = where()
      return w.file == vault .. '/' .. first.path and w.line == first.line
    end, OPEN_TIMEOUT, 'gd at ' .. first.path .. ':' .. first.line, function()
      return t.dump(where())
    end)
  end)

  it('.kith written in Neovim takes effect at once, and shows its diagnostics', function()
    local vault = t.temp_dir()
    assert(os.execute('mkdir -p ' .. t.shell_quote(vault .. '/people')))
    t.write_file(vault .. '/.kith', '')
    t.write_file(vault .. '/people/Jane Doe.md', 'Met at the conference.\n\n- 2026-11-20 #gave intro\n')
    t.start()
    local jane = t.edit(vault .. '/people/Jane Doe.md')
    t.wait_for(function()
      return #t.diagnostics(jane) == 1
    end, OPEN_TIMEOUT, 'names no contact (no rule yet)', function()
      return t.dump(t.diagnostics(jane))
    end)
    assert.are.same({}, t.annotations(jane))
    -- The settings file in a split: YAML, and written with a contact folder and a bad key.
    t.command('split ' .. vault .. '/.kith')
    local kith = t.request('nvim_get_current_buf')
    assert.are.equal('yaml', t.exec_lua('return vim.bo.filetype'))
    t.request('nvim_buf_set_lines', kith, 0, -1, false, { 'contacts:', '  folders: [people]', 'colour: blue' })
    t.command('write')
    -- At once: Jane's note is a contact note now, annotated on line 1.
    local text = t.wait_for(function()
      return t.annotations(jane)[1]
    end, OPEN_TIMEOUT, "Jane's annotation on line 1", function()
      return t.dump(t.annotations(jane))
    end)
    assert.is_truthy(text:find('↑1', 1, true), text)
    assert.are.same({}, t.diagnostics(jane))
    local diags = t.wait_for(function()
      local d = t.diagnostics(kith)
      return #d > 0 and d
    end, OPEN_TIMEOUT, 'the diagnostics of .kith')
    assert.are.same({ lnum = 2, col = 0, severity = 'WARN' },
      { lnum = diags[1].lnum, col = diags[1].col, severity = diags[1].severity })
    assert.matches("unknown setting 'colour'", diags[1].message)
    -- YAML that does not parse: an error at line 1, and every default holds again.
    t.request('nvim_buf_set_lines', kith, 0, -1, false, { 'contacts: {folders: [people' })
    t.command('write')
    t.wait_for(function()
      return t.annotations(jane)[1] == nil
    end, OPEN_TIMEOUT, 'no annotation once the rule is gone', function()
      return t.dump(t.annotations(jane))
    end)
    diags = t.diagnostics(kith)
    assert.are.equal(1, #diags)
    assert.are.same({ 0, 0, 'ERROR' }, { diags[1].lnum, diags[1].col, diags[1].severity })
  end)

  it('.kith changed on disk by another program takes effect too', function()
    local vault = t.temp_dir()
    assert(os.execute('mkdir -p ' .. t.shell_quote(vault .. '/crm')))
    t.write_file(vault .. '/.kith', 'dormant_days: 90\n')
    t.write_file(vault .. '/crm/Tom Becker.md', '- 2026-09-01 #gave intro\n')
    t.start()
    local tom = t.edit(vault .. '/crm/Tom Becker.md')
    t.sleep(300)
    assert.are.same({}, t.annotations(tom))
    t.write_file(vault .. '/.kith', 'dormant_days: 60\ncontacts: {folders: [crm]}\n')
    local text = t.wait_for(function()
      return t.annotations(tom)[1]
    end, OPEN_TIMEOUT, "Tom's annotation after .kith changed on disk", function()
      return t.dump(t.annotations(tom))
    end)
    assert.is_truthy(text:find('dormant', 1, true), text) -- 86 days > .kith's 60
  end)

  it('an editor option given beats .kith; :checkhealth kith lists each setting and its origin', function()
    local vault = t.temp_dir()
    assert(os.execute('mkdir -p ' .. t.shell_quote(vault .. '/crm')))
    t.write_file(vault .. '/.kith', 'dormant_days: 60\ncontacts: {folders: [crm]}\n')
    t.write_file(vault .. '/crm/Tom Becker.md', '- 2026-09-01 #gave intro\n')
    t.start({ setup = { dormant_days = 120 } })
    local tom = open_note(vault, 'crm/Tom Becker.md', 1)
    assert.is_falsy(t.annotations(tom)[1]:find('dormant', 1, true), t.annotations(tom)[1])
    t.command('checkhealth kith')
    local report = table.concat(t.buf_lines(0), '\n')
    assert.is_truthy(report:find('dormant_days = 120 (option)', 1, true), report)
    assert.is_truthy(report:find('contacts.folders = [crm] (.kith)', 1, true), report)
    assert.is_truthy(report:find('contacts.tags = [person, contact] (default)', 1, true), report)
    assert.is_truthy(report:find('due_days = 7 (default)', 1, true), report)
    -- Without the option (setup again, leaving it out), .kith's 60 holds: dormant.
    t.exec_lua("require('kith').setup({})")
    local text = t.wait_for(function()
      local a = t.annotations(tom)[1]
      return a and a:find('dormant', 1, true) and a
    end, OPEN_TIMEOUT, 'dormant with .kith\'s 60 days', function()
      return t.dump(t.annotations(tom))
    end)
    assert.are.equal('↑1 ↓0 +1 · 86d · dormant — reach out', text)
  end)
end)
