-- Vault settings on the command line (SPEC §1 v3, §3 v3): `.kith` gives the defaults of the
-- options and a flag given beats it; its diagnostics are `kith check`'s like any note's; and
-- `kith init` writes the settings it detects, commented, and never overwrites.

local cli = require('cli')
local t = require('support')

local TODAY = '2026-11-26'
local FOLDER_CRM = t.ROOT .. '/tests/functional/vaults/v3-folder-crm/vault'
local PROPERTIES = t.ROOT .. '/tests/functional/vaults/v3-properties/vault'

local function contact(json, handle)
  for _, c in ipairs(json.contacts) do
    if c.handle == handle then
      return c
    end
  end
end

local function balances(vault, ...)
  local args = { 'balances', '--json', '--today', TODAY, '--no-cache' }
  vim.list_extend(args, { ... })
  table.insert(args, vault)
  local out, code, err = cli.run(args)
  assert.are.equal(0, code, err)
  return cli.decode(vim.json, out)
end

describe('vault settings on the command line', function()
  after_each(function()
    t.teardown()
  end)

  it('.kith gives dormant_days; --dormant-days beats it', function()
    -- Tom's last contact was 86 days ago: dormant with .kith's 60, not with 90 (he is owed).
    assert.are.equal('dormant', contact(balances(FOLDER_CRM), 'tom-becker').status)
    assert.are.equal('owe', contact(balances(FOLDER_CRM, '--dormant-days', '90'), 'tom-becker').status)
  end)

  it('.kith gives the agenda its due_days; --days beats it', function()
    local vault = t.copy_vault(FOLDER_CRM)
    local function due(...)
      local args = { 'agenda', '--json', '--today', TODAY, '--no-cache' }
      vim.list_extend(args, { ... })
      table.insert(args, vault)
      local out, code, err = cli.run(args)
      assert.are.equal(0, code, err)
      local n = 0
      for _, it in ipairs(cli.decode(vim.json, out).items) do
        n = n + (it.group == 'followup-due' and 1 or 0)
      end
      return n
    end
    local seven = due()
    assert.are.equal(0, due('--days', '0'))
    t.append_file(vault .. '/.kith', 'due_days: 0\n')
    assert.are.equal(0, due())
    assert.are.equal(seven, due('--days', '7'))
  end)

  it('kith check reports .kith: warnings exit 0, a .kith that is not YAML exits 1 and the defaults hold', function()
    local vault = t.temp_dir()
    assert(os.execute('mkdir -p ' .. t.shell_quote(vault .. '/people')))
    t.write_file(vault .. '/people/Tom Becker.md', '- 2026-09-01 #gave intro\n')
    t.write_file(vault .. '/.kith', 'contacts:\n  folders: [people]\ncolour: blue\ndue_days: soon\n')
    local out, code = cli.run({ 'check', '--no-cache', vault })
    assert.are.equal(0, code, out)
    assert.are.equal(".kith:3:1: warning: unknown setting 'colour'\n"
      .. ".kith:4:1: warning: setting 'due_days' must be a whole number of days\n", out)
    assert.are.equal('dormant', contact(balances(vault, '--dormant-days', '60'), 'tom-becker').status)
    t.write_file(vault .. '/.kith', 'contacts: {folders: [people\n')
    out, code = cli.run({ 'check', '--no-cache', vault })
    assert.are.equal(1, code, out)
    assert.matches('^%.kith:1:1: error: settings are not valid YAML', out)
    -- The defaults hold: no contact folder.
    local json = balances(vault)
    assert.is_nil(contact(json, 'tom-becker'), 'people/ is no contact folder by default')
    assert.are.equal('.kith', json.diagnostics[1].path)
  end)

  it('kith init writes the settings it detects, commented, and never overwrites', function()
    local vault = t.copy_vault(PROPERTIES)
    -- An Obsidian vault is a vault already: init says so unless asked with --obsidian.
    local out, code, err = cli.run({ 'init', vault })
    assert.are.equal(2, code)
    assert.matches('holds .obsidian', err)
    assert.is_nil(t.read_file(vault .. '/.kith'))
    out, code, err = cli.run({ 'init', '--obsidian', vault })
    assert.are.equal(0, code, err)
    local written = t.read_file(vault .. '/.kith')
    assert.are.equal(written, out, 'it prints what it wrote')
    assert.matches('\ncontacts:\n', written)
    assert.matches('\n  tags: %[Person%]  # ', written)
    assert.matches('\n    categories: %[People%]  # ', written)
    assert.matches('\nmeetings:\n  people: %[people, attendees%]  # ', written)
    assert.matches('\nignore: %[Templates, Archive%]  # ', written)
    -- It is good YAML kith reads without a word, and the answers stay the same.
    local json = balances(vault)
    for _, d in ipairs(json.diagnostics) do
      assert.are_not.equal('.kith', d.path, t.dump(d))
    end
    assert.are.same(balances(PROPERTIES).contacts, json.contacts)
    -- Never overwritten.
    out, code, err = cli.run({ 'init', '--obsidian', vault })
    assert.are.equal(2, code)
    assert.matches('exists: nothing written', err)
    assert.are.equal(written, t.read_file(vault .. '/.kith'))
  end)

  it('kith init finds a folder of people, and writes into the current directory by default', function()
    local vault = t.temp_dir()
    assert(os.execute('mkdir -p ' .. t.shell_quote(vault .. '/Contacts/work') .. ' ' .. t.shell_quote(vault .. '/daily')))
    t.write_file(vault .. '/Contacts/work/Jane Doe.md', 'Met at the conference.\n')
    t.write_file(vault .. '/Contacts/Bob Stone.md', '- 2026-11-20 #gave intro\n')
    t.write_file(vault .. '/daily/2026-11-20.md', '- #met [[Jane Doe]] coffee\n')
    local p = assert(io.popen(('cd %s && %s init 2>/dev/null; echo "exit:$?"'):format(
      t.shell_quote(vault), t.shell_quote(t.KITH_BIN))))
    local out = p:read('*a')
    p:close()
    assert.matches('exit:0', out)
    assert.matches('\n  folders: %[Contacts%]  # the 2 notes below', t.read_file(vault .. '/.kith'))
    local json = balances(vault)
    assert.are.equal(1, contact(json, 'jane-doe').met)
    assert.are.equal(1, contact(json, 'bob-stone').gave)
  end)
end)
