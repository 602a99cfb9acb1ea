-- The test environment loads the real picker and completion plugins kith integrates with
-- (shared/test-plugins, unmodified copies). They need Neovim 0.10 or later: on 0.7.2 this
-- spec only checks that they are there.

local t = require('support')

local PLUGINS = {
  { dir = 'telescope.nvim', also = { 'plenary.nvim' }, module = 'telescope' },
  { dir = 'plenary.nvim', module = 'plenary' },
  { dir = 'fzf-lua', module = 'fzf-lua' },
  { dir = 'snacks.nvim', module = 'snacks' },
  { dir = 'mini.nvim', module = 'mini.pick' },
  { dir = 'nvim-cmp', module = 'cmp' },
  { dir = 'blink.cmp', module = 'blink.cmp' },
}

describe('test plugins', function()
  after_each(function()
    t.teardown()
  end)

  it('are all in ' .. t.TEST_PLUGINS, function()
    for _, p in ipairs(PLUGINS) do
      assert.are.equal(1, vim.fn.isdirectory(t.TEST_PLUGINS .. '/' .. p.dir .. '/lua'), p.dir)
    end
  end)

  for _, p in ipairs(PLUGINS) do
    it('load in a Neovim with kith: ' .. p.module, function()
      if vim.fn.has('nvim-0.10') == 0 then
        local v = vim.version()
        return pending(('needs Neovim 0.10 (this is %d.%d)'):format(v.major, v.minor))
      end
      local plugins = vim.list_extend({ p.dir }, p.also or {})
      t.start({ plugins = plugins })
      local ok, err = pcall(t.exec_lua, 'require(...)', p.module)
      assert.is_true(ok, tostring(err))
      assert.are.equal(2, t.exec_lua('return vim.fn.exists(":Kith")'), 'kith\'s :Kith command is there beside it')
    end)
  end
end)
