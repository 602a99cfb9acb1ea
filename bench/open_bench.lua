-- bench/open_bench.lua: Neovim opens one note of a vault with kith and quits as soon as the
-- note shows its first annotation. bench/run.sh times the whole process (Neovim's start, the
-- host's, indexing the vault, the first annotation) with a cold and with a warm index cache,
-- beside ledger-cli on the same records. Run with `nvim --headless -u NONE -i NONE -n
-- --cmd 'set rtp^=ROOT' -c 'luafile bench/open_bench.lua'`; told what to open by the
-- environment: KITH_OPEN_KITH (the binary), KITH_OPEN_VAULT, KITH_OPEN_NOTE.
local kith = assert(os.getenv('KITH_OPEN_KITH'), 'open_bench.lua: KITH_OPEN_KITH is not set')
local vault = assert(os.getenv('KITH_OPEN_VAULT'), 'open_bench.lua: KITH_OPEN_VAULT is not set')
local note = assert(os.getenv('KITH_OPEN_NOTE'), 'open_bench.lua: KITH_OPEN_NOTE is not set')

vim.o.swapfile = false
vim.cmd('filetype on')
vim.cmd('runtime! plugin/kith.lua')
require('kith').setup({ cmd = kith, vault = vault, today = '2026-11-26' })
vim.cmd('edit ' .. vim.fn.fnameescape(note))
local ns = vim.api.nvim_create_namespace('kith')
local shown = vim.wait(120000, function()
  return #vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, { limit = 1 }) > 0
end, 2)
if not shown then
  io.stderr:write('open_bench.lua: no annotation within 120 s\n')
  vim.cmd('cquit 1')
end
vim.cmd('qall!')
