-- kith with the real picker and completion plugins (shared/test-plugins, unmodified): each
-- picker adapter opens with kith's entries, previews the note at the line, and choosing an entry
-- jumps; the nvim-cmp and blink.cmp sources return handles and names. None of these plugins
-- supports Neovim 0.7.2: there every spec here is pending (finding_spec.lua covers the same
-- commands through vim.ui.select).
--
-- What a user sees is read from the screen's windows (the pickers' floats, the terminal fzf
-- runs in), and keys are typed with nvim_input, as a user would.

local t = require('support')

local OPEN_TIMEOUT = 3000
local PICK_TIMEOUT = 5000

local function open_note(vault, rel, line)
  local buf = t.edit(vault .. '/' .. rel)
  t.wait_for(function()
    return t.annotations(buf)[line]
  end, OPEN_TIMEOUT, rel .. ': annotation on line ' .. line)
  return buf
end

--- The text of every floating window, and of every terminal buffer shown (fzf), joined.
local function screen_text()
  return t.exec_lua([[
    local out = {}
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      local buf = vim.api.nvim_win_get_buf(win)
      if vim.api.nvim_win_get_config(win).relative ~= '' or vim.bo[buf].buftype == 'terminal' then
        vim.list_extend(out, vim.api.nvim_buf_get_lines(buf, 0, -1, false))
      end
    end
    return table.concat(out, '\n')
  ]])
end

local function where()
  return t.exec_lua([[
    local c = vim.api.nvim_win_get_cursor(0)
    return { file = vim.api.nvim_buf_get_name(0), line = c[1] }
  ]])
end

--- Waits until telescope's selected entry shows `text` (it sorts as it goes, after the keys).
local function wait_selected(text)
  local function selected()
    return t.exec_lua([[
      local entry = require('telescope.actions.state').get_selected_entry()
      return entry and entry.display or ''
    ]])
  end
  t.wait_for(function()
    return selected():find(text, 1, true)
  end, PICK_TIMEOUT, 'telescope selects ' .. text, selected)
end

local PICKERS = {
  { name = 'telescope', plugins = { 'telescope.nvim', 'plenary.nvim' } },
  { name = 'fzf-lua', plugins = { 'fzf-lua' } },
  { name = 'snacks', plugins = { 'snacks.nvim' } },
  -- mini.pick previews on <Tab> (its default)
  { name = 'mini.pick', plugins = { 'mini.nvim' }, blocking = true, preview_key = '<Tab>' },
}

describe('pickers', function()
  local vault

  before_each(function()
    vault = t.copy_vault()
  end)

  after_each(function()
    t.teardown()
  end)

  for _, p in ipairs(PICKERS) do
    it(p.name .. ": :Kith contacts shows kith's entries with a preview; choosing one jumps", function()
      local why = t.missing_plugins(unpack(p.plugins))
      if why then
        return pending(why)
      end
      t.start({ plugins = p.plugins, setup = { picker = p.name } })
      t.command('set lines=50 columns=240') -- room for the longest entry: a meeting note's path, then handle and name
      if p.name == 'mini.pick' then
        t.exec_lua("require('mini.pick').setup()")
      end
      open_note(vault, 'people/acme.md', 7)
      assert.are.equal(p.name, t.exec_lua("return require('kith.pickers').name()"))
      local contacts = t.contacts(vault)
      local dan = contacts.dan
      if p.blocking then
        -- MiniPick.start returns when the picker is done: start it as a user would, by keys
        -- (Neovim answers requests meanwhile).
        t.request('nvim_input', ':Kith contacts<CR>')
      else
        t.command('Kith contacts')
      end
      -- every contact, with its name, on the screen
      t.wait_for(function()
        local text = screen_text()
        for handle, c in pairs(contacts) do
          if not text:find('@' .. handle .. ' ', 1, true) or not text:find(c.name, 1, true) then
            return false
          end
        end
        return true
      end, PICK_TIMEOUT, 'every contact in the picker', screen_text)
      t.request('nvim_input', 'dan')
      if p.preview_key then
        t.sleep(200)
        t.request('nvim_input', p.preview_key)
      end
      -- the note of the entry under the cursor, previewed
      local dan_note = t.lines_of(vault .. '/' .. dan.declared[1].path)
      t.wait_for(function()
        return screen_text():find(dan_note[#dan_note], 1, true)
      end, PICK_TIMEOUT, 'the preview of ' .. dan.declared[1].path, screen_text)
      t.request('nvim_input', '<CR>')
      t.wait_for(function()
        local w = where()
        return w.file == vault .. '/' .. dan.declared[1].path and w.line == dan.declared[1].line
      end, PICK_TIMEOUT, 'the cursor on @dan\'s declaration', function()
        return t.dump(where())
      end)
    end)
  end

  it("'auto' takes the first installed of telescope, fzf-lua, snacks, mini.pick", function()
    local why = t.missing_plugins('mini.nvim', 'snacks.nvim')
    if why then
      return pending(why)
    end
    t.start({ plugins = { 'mini.nvim', 'snacks.nvim' } })
    assert.are.equal('snacks', t.exec_lua("return require('kith.pickers').name()"))
    t.teardown()
    t.start({ plugins = { 'mini.nvim' } })
    assert.are.equal('mini.pick', t.exec_lua("return require('kith.pickers').name()"))
  end)

  it('telescope: :Kith history and the "which contact?" question of quick logging', function()
    local why = t.missing_plugins('telescope.nvim', 'plenary.nvim')
    if why then
      return pending(why)
    end
    t.start({ plugins = { 'telescope.nvim', 'plenary.nvim' } })
    t.command('set lines=50 columns=180')
    local buf = open_note(vault, 'people/acme.md', 7)
    t.command('Kith history @alice')
    t.wait_for(function()
      return screen_text():find('#gave the on-call handbook', 1, true)
    end, PICK_TIMEOUT, "alice's history in telescope", screen_text)
    t.request('nvim_input', 'handbook')
    wait_selected('handbook')
    t.request('nvim_input', '<CR>')
    t.wait_for(function()
      return where().file == vault .. '/people/alice.md'
    end, PICK_TIMEOUT, 'the item chosen', function()
      return t.dump(where())
    end)
    t.command('buffer ' .. buf)
    t.request('nvim_win_set_cursor', 0, { 3, 0 })
    t.exec_lua('vim.ui.input = function(_, on_confirm) on_confirm("sent the deck") end')
    t.request('nvim_input', '\\kg')
    t.wait_for(function()
      return screen_text():find('@grace', 1, true)
    end, PICK_TIMEOUT, 'which contact? in telescope', screen_text)
    t.request('nvim_input', 'grace')
    wait_selected('@grace')
    t.request('nvim_input', '<CR>')
    t.wait_for(function()
      return t.buf_lines(buf)[4] == '- ' .. t.TODAY .. ' #gave @grace sent the deck'
    end, PICK_TIMEOUT, 'the item logged for grace', function()
      return t.dump(t.buf_lines(buf))
    end)
  end)
end)

describe('completion sources', function()
  local vault

  before_each(function()
    vault = t.copy_vault()
  end)

  after_each(function()
    t.teardown()
  end)

  --- Types `text` on a new line below line 3 (insert mode stays on).
  local function type_line(text)
    t.request('nvim_win_set_cursor', 0, { 3, 0 })
    t.request('nvim_input', 'o' .. text)
    t.wait_for(function()
      return t.buf_lines()[4] == text
    end, 2000, 'typed ' .. text)
  end

  it('nvim-cmp: the kith source gives handles after @, names after [[ and (v3) tags after #', function()
    local why = t.missing_plugins('nvim-cmp')
    if why then
      return pending(why)
    end
    t.start({ plugins = { 'nvim-cmp' } })
    t.exec_lua([[
      local cmp = require('cmp')
      cmp.setup({ sources = { { name = 'kith' } }, completion = { autocomplete = false } })
    ]])
    open_note(vault, 'people/acme.md', 7)
    local function labels()
      return t.exec_lua([[
        local out = {}
        for _, e in ipairs(require('cmp').get_entries()) do
          table.insert(out, e:get_completion_item().label)
        end
        return out
      ]])
    end
    type_line('met @b')
    t.exec_lua("require('cmp').complete()")
    t.wait_for(function()
      return vim.tbl_contains(labels(), '@bob')
    end, PICK_TIMEOUT, '@bob offered', function()
      return t.dump(labels())
    end)
    assert.is_false(vim.tbl_contains(labels(), '@alice'), 'filtered by what is typed: ' .. t.dump(labels()))
    t.exec_lua("require('cmp').confirm({ select = true })")
    t.wait_for(function()
      return t.buf_lines()[4] == 'met @bob'
    end, 2000, 'confirmed', function()
      return t.dump(t.buf_lines()[4])
    end)
    t.request('nvim_input', '<Esc>')
    type_line('see [[Ali')
    t.exec_lua("require('cmp').complete()")
    t.wait_for(function()
      return vim.tbl_contains(labels(), 'Alice Chen')
    end, PICK_TIMEOUT, 'Alice Chen offered', function()
      return t.dump(labels())
    end)
    t.exec_lua("require('cmp').confirm({ select = true })")
    t.wait_for(function()
      return t.buf_lines()[4] == 'see [[Alice Chen]]'
    end, 2000, 'the link completed', function()
      return t.dump(t.buf_lines()[4])
    end)
    -- (v3) kith's tags after `#`.
    t.request('nvim_input', '<Esc>')
    type_line('- 2026-11-26 #in')
    t.exec_lua("require('cmp').complete()")
    t.wait_for(function()
      return vim.tbl_contains(labels(), '#intro')
    end, PICK_TIMEOUT, '#intro offered', function()
      return t.dump(labels())
    end)
    t.exec_lua("require('cmp').confirm({ select = true })")
    t.wait_for(function()
      return t.buf_lines()[4] == '- 2026-11-26 #intro'
    end, 2000, 'the tag completed', function()
      return t.dump(t.buf_lines()[4])
    end)
  end)

  it('blink.cmp: the kith provider (added for Markdown) gives handles after @, names after [[, tags after #', function()
    local why = t.missing_plugins('blink.cmp')
    if why then
      return pending(why)
    end
    t.start({ plugins = { 'blink.cmp' } })
    t.exec_lua([[
      require('blink.cmp').setup({
        fuzzy = { implementation = 'lua' },
        sources = { default = { 'buffer' } },
        completion = { menu = { auto_show = true } },
      })
    ]])
    open_note(vault, 'people/acme.md', 7)
    local function labels()
      return t.exec_lua([[
        local out = {}
        for _, item in ipairs(require('blink.cmp').get_items() or {}) do
          if item.source_id == 'kith' then
            table.insert(out, item.label)
          end
        end
        return out
      ]])
    end
    type_line('met @fr')
    t.exec_lua("require('blink.cmp').show({ providers = { 'kith' } })")
    t.wait_for(function()
      return vim.tbl_contains(labels(), '@frank')
    end, PICK_TIMEOUT, '@frank offered', function()
      return t.dump(labels())
    end)
    assert.is_false(vim.tbl_contains(labels(), '@bob'), 'filtered by what is typed: ' .. t.dump(labels()))
    t.exec_lua("require('blink.cmp').accept()")
    t.wait_for(function()
      return t.buf_lines()[4] == 'met @frank'
    end, 2000, 'accepted', function()
      return t.dump(t.buf_lines()[4])
    end)
    t.request('nvim_input', '<Esc>')
    type_line('see [[Dan')
    t.exec_lua("require('blink.cmp').show({ providers = { 'kith' } })")
    t.wait_for(function()
      return vim.tbl_contains(labels(), 'Dan Okafor')
    end, PICK_TIMEOUT, 'Dan Okafor offered', function()
      return t.dump(labels())
    end)
    -- (v3) kith's tags after `#`.
    t.request('nvim_input', '<Esc>')
    type_line('## Dan @dan #sno')
    t.exec_lua("require('blink.cmp').show({ providers = { 'kith' } })")
    t.wait_for(function()
      return vim.tbl_contains(labels(), '#snooze:')
    end, PICK_TIMEOUT, '#snooze: offered', function()
      return t.dump(labels())
    end)
  end)
end)
