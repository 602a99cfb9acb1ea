-- The test environment loads the real picker and completion plugins kith integrates with
-- (shared/test-plugins or $KITH_TEST_PLUGINS, unmodified copies). They need Neovim 0.10 or
-- later: on 0.7.2 this spec only checks that they are there.

local t = require('support')

local PLUGINS = {
  { dir = 'telescope.nvim', also = { 'plenary.nvim' }, module = 'telescope' },
  { dir = 'plenary.nvim', module = 'plenary' },
  { dir = 'fzf-lua', module = 'fzf-lua' },
  { dir = 'snacks.nvim', module = 'snacks' },
  { dir = 'mini.nvim', module = 'mini.pick' },
  { dir = 'nvim-cmp', module = 'cmp' },
  { dir = 'blink.cmp', module = 'blink.cmp' },
  { dir = 'lazy.nvim', module = 'lazy' },
}

describe('test plugins', function()
  after_each(function()
    t.teardown()
  end)

  -- Where they come from: $KITH_TEST_PLUGINS when it is set (then they must all be there), else
  -- ../shared/test-plugins when that exists. A clone with neither runs none of the specs that
  -- need them: each is pending, saying so.
  it('are all in ' .. t.TEST_PLUGINS .. ' when that is given or exists', function()
    if not t.TEST_PLUGINS_FROM_ENV and vim.fn.isdirectory(t.TEST_PLUGINS) == 0 then
      return pending('no ' .. t.TEST_PLUGINS .. ': set KITH_TEST_PLUGINS to run the real-plugin specs')
    end
    for _, p in ipairs(PLUGINS) do
      assert.are.equal(1, vim.fn.isdirectory(t.TEST_PLUGINS .. '/' .. p.dir .. '/lua'), p.dir)
    end
  end)

  for _, p in ipairs(PLUGINS) do
    it('load in a Neovim with kith: ' .. p.module, function()
      local plugins = vim.list_extend({ p.dir }, p.also or {})
      local why = t.missing_plugins(unpack(plugins))
      if why then
        return pending(why)
      end
      t.start({ plugins = plugins })
      local ok, err = pcall(t.exec_lua, 'require(...)', p.module)
      assert.is_true(ok, tostring(err))
      assert.are.equal(2, t.exec_lua('return vim.fn.exists(":Kith")'), 'kith\'s :Kith command is there beside it')
    end)
  end
end)
