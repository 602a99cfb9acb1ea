-- kith: value-based networking in Markdown notes.
local uv = require('kith.compat').uv
local config = require('kith.config')
local host = require('kith.host')

local M = {}

-- The largest note kith follows. Checked here at attach; the host checks it after every change
-- (it knows the buffer's size for free) and lets go of a buffer that grows past it.
M.MAX_BYTES = 16 * 1000 * 1000

-- buf -> {path = absolute file, vault = root}
local attached = {}

--- Merges and validates options (see :help kith-options). Safe to call again.
function M.setup(opts)
  config.setup(opts)
  require('kith.highlights').define()
  require('kith.sync').configure()
  local chan = host.channel()
  if chan then
    pcall(vim.rpcnotify, chan, 'kith_configure', config.host_options())
  end
end

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

local function realpath(path)
  return uv.fs_realpath(path) or path
end

local MARKERS = { '.kith', '.obsidian' }

-- An absolute, symlink-free directory path without a trailing slash.
local function normalize(dir)
  dir = vim.fn.fnamemodify(vim.fn.expand(dir), ':p'):gsub('/$', '')
  return realpath(dir ~= '' and dir or '/')
end

--- The vault of a file (absolute path): a vault of the `vault` option (a path, a list of paths,
--- or a function(path) returning either) that holds the file, else the nearest ancestor of the
--- file holding .kith or .obsidian (SPEC §5: vaults are explicit). Returns the root, or nil and
--- why there is none.
function M.vault_for(path)
  local opt = config.get().vault
  if type(opt) == 'function' then
    opt = opt(path)
  end
  if type(opt) == 'string' then
    opt = { opt }
  end
  local best
  for _, root in ipairs(type(opt) == 'table' and opt or {}) do
    if type(root) == 'string' and root ~= '' then
      root = normalize(root)
      if path:sub(1, #root + 1) == root .. '/' and (not best or #root > #best) then
        best = root
      end
    end
  end
  if best then
    return best
  end
  local dir = vim.fn.fnamemodify(path, ':h')
  while dir and dir ~= '' do
    for _, marker in ipairs(MARKERS) do
      if exists(dir .. '/' .. marker) then
        return realpath(dir)
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      break
    end
    dir = parent
  end
  return nil, ('no .kith or .obsidian in %s or above%s'):format(
    vim.fn.fnamemodify(path, ':h:~'), opt and ', and the vault option does not hold it' or '')
end

--- Makes `dir` (default: the current directory) a vault: `kith init` writes its .kith with
--- the settings that fit the notes there (SPEC §3 v3; in an Obsidian vault too), unless it
--- has one; then attaches the Markdown buffers in it. Returns the root and whether .kith was
--- there already (then it is kept as it is), or nil and a message.
function M.init(dir)
  dir = normalize(dir and dir ~= '' and dir or uv.cwd())
  if vim.fn.isdirectory(dir) ~= 1 then
    return nil, 'kith: not a directory: ' .. dir
  end
  local marked = exists(dir .. '/.kith')
  if not marked then
    local out = vim.fn.system({ host.cmd(), 'init', '--obsidian', dir })
    if vim.v.shell_error ~= 0 then
      return nil, 'kith: cannot create ' .. dir .. '/.kith: ' .. vim.trim(out)
    end
  end
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype == 'markdown' and not attached[buf] then
      M.attach(buf)
    end
  end
  return dir, marked
end

--- The absolute path of a buffer's file ('' for none).
local function buffer_path(buf)
  local name = vim.api.nvim_buf_get_name(buf)
  if name == '' or name:match('^%a[%w+.-]*://') then
    return ''
  end
  local full = vim.fn.fnamemodify(name, ':p')
  local dir = realpath(vim.fn.fnamemodify(full, ':h'))
  return dir .. '/' .. vim.fn.fnamemodify(full, ':t')
end

-- The options kith_attach sends: the host's options and the size limit.
local function attach_options()
  local opts = config.host_options()
  opts.max_bytes = M.MAX_BYTES
  return opts
end

--- Follows a Markdown buffer whose file lies in a vault: annotations, diagnostics, maps.
function M.attach(buf)
  buf = (buf == nil or buf == 0) and vim.api.nvim_get_current_buf() or buf
  if not vim.api.nvim_buf_is_loaded(buf) or vim.bo[buf].buftype ~= '' then
    return false
  end
  local path = buffer_path(buf)
  if path == '' then
    return false
  end
  local vault = M.vault_for(path)
  if not vault or path:sub(1, #vault + 1) ~= vault .. '/' then
    if attached[buf] then
      M.detach(buf) -- renamed out of its vault
    end
    return false
  end
  -- The host bounds every message at 64 MiB; a note this large is not a note.
  local size = vim.api.nvim_buf_get_offset(buf, vim.api.nvim_buf_line_count(buf))
  if size > M.MAX_BYTES then
    vim.notify(('kith: %s is %d MB; kith follows notes up to %d MB'):format(
      vim.fn.fnamemodify(path, ':~:.'), math.floor(size / 1e6), M.MAX_BYTES / 1e6), vim.log.levels.WARN)
    return false
  end
  require('kith.highlights').define()
  attached[buf] = { path = path, vault = vault }
  if not host.notify('kith_attach', buf, path, vault, attach_options()) then
    attached[buf] = nil
    return false
  end
  require('kith.keymaps').attach(buf)
  if vim.bo[buf].omnifunc == '' or vim.bo[buf].omnifunc:match('htmlcomplete') then
    vim.bo[buf].omnifunc = "v:lua.require'kith.complete'.omnifunc"
  end
  require('kith.complete').register()
  return true
end

--- Stops following a buffer.
function M.detach(buf)
  buf = (buf == nil or buf == 0) and vim.api.nvim_get_current_buf() or buf
  if attached[buf] then
    attached[buf] = nil
    if host.channel() then
      host.notify('kith_detach', buf)
    end
    require('kith.view').clear(buf)
  end
end

--- Called by the host when it stopped following `buf` (its text grew too large for kith; the
--- host has told the user): forgets it and clears what kith showed there.
function M.released(buf)
  attached[buf] = nil
  require('kith.view').clear(buf)
  return true
end

--- Forgets a wiped-out buffer (the host learns it from Neovim's detach event).
function M.forget(buf)
  attached[buf] = nil
  require('kith.view').forget(buf)
  require('kith.keymaps').forget(buf)
end

--- For the statusline: the annotation of the contact at the cursor of window `win` (default:
--- the window being drawn), else the vault's counts (`kith: 2 overdue · 5 to reach out`); ''
--- outside a vault. Never asks the host while drawing (see :help kith-statusline).
function M.status(win)
  return require('kith.status').status(win)
end

--- The vault and file of an attached buffer, or nil.
function M.info(buf)
  buf = (buf == nil or buf == 0) and vim.api.nvim_get_current_buf() or buf
  return attached[buf]
end

--- Buffers kith follows.
function M.buffers()
  local out = {}
  for buf, info in pairs(attached) do
    out[buf] = info
  end
  return out
end

-- After a (re)start of the host, attach every buffer again.
host.on_start(function(chan)
  for buf, info in pairs(attached) do
    if vim.api.nvim_buf_is_loaded(buf) then
      pcall(vim.rpcnotify, chan, 'kith_attach', buf, info.path, info.vault, attach_options())
    else
      attached[buf] = nil
    end
  end
end)

return M
