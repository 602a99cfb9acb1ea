-- kith: value-based networking in Markdown notes. Loaded at start-up: keep it tiny.
if vim.g.loaded_kith then
  return
end
vim.g.loaded_kith = true

vim.api.nvim_create_user_command('Kith', function(opts)
  require('kith.commands').run(opts)
end, {
  nargs = '*',
  complete = function(arglead, cmdline, pos)
    return require('kith.commands').complete(arglead, cmdline, pos)
  end,
  desc = 'kith: contacts, history, new, agenda, graph, balances, template, log, review, check, init, restart',
})

for _, kind in ipairs({ 'give', 'receive', 'met', 'ask' }) do
  vim.keymap.set('n', '<Plug>(kith-log-' .. kind .. ')', function()
    require('kith.log').log(kind)
  end, { desc = 'kith: log ' .. kind })
end

vim.keymap.set('n', '<Plug>(kith-goto)', function()
  require('kith.keymaps').goto_contact()
end, { desc = 'kith: go to the contact at the cursor' })
vim.keymap.set('n', '<Plug>(kith-hover)', function()
  require('kith.keymaps').hover()
end, { desc = 'kith: show the contact at the cursor' })

local group = vim.api.nvim_create_augroup('kith', { clear = true })
vim.api.nvim_create_autocmd('FileType', {
  group = group,
  pattern = 'markdown',
  callback = function(args)
    require('kith').attach(args.buf)
  end,
})
-- The vault settings file (SPEC §1 v3): YAML, with kith's diagnostics, read again when written.
vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile' }, {
  group = group,
  pattern = '.kith',
  callback = function(args)
    require('kith.settings').attach(args.buf)
  end,
})
vim.api.nvim_create_autocmd('BufFilePost', {
  group = group,
  callback = function(args)
    if package.loaded['kith'] and require('kith').info(args.buf) then
      require('kith').attach(args.buf) -- renamed: follow the new path
    end
  end,
})
vim.api.nvim_create_autocmd('BufWipeout', {
  group = group,
  callback = function(args)
    if package.loaded['kith'] then
      require('kith').forget(args.buf)
    end
  end,
})
