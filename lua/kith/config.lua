-- Configuration: defaults, merge, validation. setup() does nothing else.
local compat = require('kith.compat')

local M = {}

M.defaults = {
  -- Vault root(s): a path, a list of paths, or a function(path) returning either. A file in
  -- none of them: the nearest ancestor of the file holding .kith or .obsidian, else no vault.
  vault = nil,
  -- 'YYYY-MM-DD' to pin "today" (tests); nil: the local date.
  today = nil,
  -- Days without contact before a contact is dormant, and gives before "let them return the
  -- favour"; nil: the vault's .kith (dormant_days, accept_help_after), else 90 and 3.
  dormant_days = nil,
  accept_help_after = nil,
  -- Directory of your own templates (override built-ins by file name, add new ones).
  templates = nil,
  -- Buffer-local maps in vault Markdown buffers; false disables them all. log_give on an open
  -- ask's line logs the give that answers it and ticks the ask.
  -- go_to and hover act on a handle or a wiki link naming a contact, and elsewhere do what the
  -- key did before.
  keymaps = {
    log_give = '<localleader>kg',
    log_receive = '<localleader>kr',
    log_met = '<localleader>km',
    log_ask = '<localleader>ka',
    go_to = 'gd',
    hover = 'K',
  },
  -- Inline annotations on contact headings; `ascii` swaps the arrows for gave/got; `due`
  -- shows `due in 3d` on a contact whose cadence (or dormant_days) is up within 7 days;
  -- `sparkline` adds the last 12 months of activity after the numbers; `position`: 'eol'
  -- (after the text) or 'right_align' (at the window's right edge).
  annotations = { enabled = true, ascii = false, due = true, position = 'eol', sparkline = false },
  -- Where :Kith contacts, history and the "which contact?" question list their entries:
  -- 'auto' (the first installed of telescope, fzf-lua, snacks, mini.pick, else vim.ui.select),
  -- one of those names, 'select', or a function(items, opts) of your own.
  picker = 'auto',
  -- Where :Kith new puts a contact note, relative to the vault (or an absolute path).
  people_dir = 'people',
  -- The kith binary; nil: build/kith under the plugin's root (what `make` builds).
  cmd = nil,
  -- Milliseconds kith waits after the last change before it re-parses.
  debounce = 30,
  -- Keep each vault's parsed notes in $XDG_CACHE_HOME/kith (else ~/.cache/kith) so that a
  -- start re-parses only the notes that changed; false: parse every note at every start.
  cache = true,
}

-- The values of the `picker` option (besides a function).
M.pickers = { auto = true, telescope = true, ['fzf-lua'] = true, snacks = true, ['mini.pick'] = true, select = true }

local options = nil

local function merge(base, over)
  local out = vim.deepcopy(base)
  for k, v in pairs(over or {}) do
    if type(v) == 'table' and type(out[k]) == 'table' and not compat.islist(v) then
      out[k] = merge(out[k], v)
    else
      out[k] = v
    end
  end
  return out
end

local function is_date(s)
  return type(s) == 'string' and s:match('^%d%d%d%d%-%d%d%-%d%d$') ~= nil
end

function M.validate(opts)
  local ok, err = pcall(compat.validate, {
    vault = { opts.vault, { 'string', 'table', 'function' }, true },
    today = { opts.today, function(v)
      return v == nil or is_date(v)
    end, 'a date YYYY-MM-DD' },
    dormant_days = { opts.dormant_days, 'number', true },
    accept_help_after = { opts.accept_help_after, 'number', true },
    templates = { opts.templates, 'string', true },
    keymaps = { opts.keymaps, function(v)
      return v == false or type(v) == 'table'
    end, 'a table or false' },
    annotations = { opts.annotations, function(v)
      return type(v) == 'table' or type(v) == 'boolean'
    end, 'a table or a boolean' },
    picker = { opts.picker, function(v)
      return type(v) == 'function' or M.pickers[v] ~= nil
    end, "'auto', 'telescope', 'fzf-lua', 'snacks', 'mini.pick', 'select' or a function" },
    people_dir = { opts.people_dir, function(v)
      return type(v) == 'string' and v ~= ''
    end, 'a directory' },
    cmd = { opts.cmd, 'string', true },
    debounce = { opts.debounce, 'number' },
    cache = { opts.cache, 'boolean' },
  })
  if not ok then
    error('kith: ' .. tostring(err):gsub('^.-:%d+: ', ''), 0)
  end
  if type(opts.annotations) == 'boolean' then
    opts.annotations = { enabled = opts.annotations, ascii = false, due = true, position = 'eol',
      sparkline = false }
  end
  local position = opts.annotations.position
  if position ~= nil and position ~= 'eol' and position ~= 'right_align' then
    error(("kith: annotations.position: expected 'eol' or 'right_align', got %s"):format(vim.inspect(position)), 0)
  end
  return opts
end

--- Merges `opts` over the defaults (and vim.g.kith), validates, and stores them.
function M.setup(opts)
  if opts ~= nil and type(opts) ~= 'table' then
    error('kith: setup() takes a table of options', 0)
  end
  local merged = merge(M.defaults, vim.g.kith or {})
  merged = merge(merged, opts or {})
  options = M.validate(merged)
  return options
end

--- The current options (from setup(), else vim.g.kith, else the defaults).
function M.get()
  if not options then
    M.setup({})
  end
  return options
end

--- What the host needs to know.
function M.host_options()
  local o = M.get()
  return {
    today = o.today,
    dormant_days = o.dormant_days,
    accept_help_after = o.accept_help_after,
    ascii = o.annotations.ascii and true or false,
    due = o.annotations.due ~= false,
    sparkline = o.annotations.sparkline == true,
    -- lua/kith/sync.lua waits `debounce` ms before it sends the changes: the host parses them
    -- at once.
    debounce = 0,
    cache = o.cache,
  }
end

return M
