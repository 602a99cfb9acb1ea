-- :Kith template / reflect / review: expand a template (filled from the vault) below the cursor.
local host = require('kith.host')
local config = require('kith.config')

local M = {}

local function err(msg)
  vim.notify(msg, vim.log.levels.ERROR)
end

local function templates_dir()
  local dir = config.get().templates
  return dir and vim.fn.expand(dir) or nil
end

--- Template names (built-ins and the `templates` directory).
function M.names()
  local cmd = { host.cmd(), 'template', '--list' }
  local dir = templates_dir()
  if dir then
    vim.list_extend(cmd, { '--templates', dir })
  end
  local out = vim.fn.systemlist(cmd)
  if vim.v.shell_error ~= 0 then
    return { 'contact', 'meeting', 'reflection', 'review' }
  end
  return out
end

--- Inserts template `name` (see M.place for where) as one undo step; nothing on error.
function M.insert(name, handle)
  local info = require('kith').info(0)
  if not info then
    return err('kith: this buffer is not a note in a kith vault')
  end
  local buf = vim.api.nvim_get_current_buf()
  local ready, problem = host.wait_vault(info.vault)
  if ready then
    ready, problem = host.sync(buf)
  end
  if not ready then
    return err(problem)
  end
  local ok, text = host.request('kith_template', info.vault, name, handle or vim.NIL,
    templates_dir() or vim.NIL)
  if not ok then
    local needs = tostring(text):match('needs a contact')
    if needs and not handle then
      -- {{handle}} without one: ask, then try again.
      vim.ui.input({ prompt = 'kith: handle for ' .. name .. ': @' }, function(h)
        if h and vim.trim(h) ~= '' then
          M.insert(name, vim.trim(h))
        end
      end)
      return
    end
    return err(text)
  end
  local lines = vim.split(text, '\n', { plain = true })
  if lines[#lines] == '' then
    table.remove(lines)
  end
  local row, problem2 = M.place(buf, lines)
  if not row then
    return err(problem2)
  end
  vim.api.nvim_buf_set_lines(buf, row, row, false, lines)
  local first = row + 1
  while lines[first - row] == '' do
    first = first + 1
  end
  vim.api.nvim_win_set_cursor(0, { first, 0 })
end

-- A YAML scalar for `s`: as it is when plain, else double-quoted.
local function yaml_scalar(s)
  if s:match('^[%w_][%w _.,()\'-]*$') and not s:match('%s$') then
    return s
  end
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

--- :Kith new @handle [Name]: opens a buffer for the contact note {people_dir}/{handle}.md of
--- the current vault, filled with front matter (handle, name) and the `contact` template. It
--- is not written: the user writes it (the folder is made then). An existing note is opened.
function M.new_contact(handle, name)
  local people = require('kith.people')
  local vault, why = people.vault()
  if not vault then
    return err(why)
  end
  local h = handle:gsub('^@', ''):lower()
  if not h:match('^[%w_][%w_.-]*$') or h:match('[.-]$') then
    return err(('kith: %s is not a handle (a letter, digit or _, then letters, digits, _, . or -)'):format(handle))
  end
  local dir = vim.fn.expand(config.get().people_dir)
  if dir:sub(1, 1) ~= '/' then
    dir = vault .. '/' .. dir
  end
  local path = dir:gsub('/+$', '') .. '/' .. h .. '.md'
  local open = vim.fn.bufnr(path)
  if vim.fn.filereadable(path) == 1 or (open > 0 and vim.api.nvim_buf_is_loaded(open)) then
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    return
  end
  local ready, problem = host.wait_vault(vault)
  if not ready then
    return err(problem)
  end
  local ok, res = host.request('kith_new', vault, h, name or vim.NIL, templates_dir() or vim.NIL)
  if not ok then
    return err(res)
  end
  local body = vim.split(res.text, '\n', { plain = true })
  if body[#body] == '' then
    table.remove(body)
  end
  -- res.name: the name given, else the one the vault knows, else the handle.
  local lines = { '---', 'handle: ' .. h, 'name: ' .. yaml_scalar(res.name), '---', '' }
  vim.list_extend(lines, body)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  -- The template is where the note starts, not a change to undo.
  local levels = vim.bo[buf].undolevels
  vim.bo[buf].undolevels = -1
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].undolevels = levels
  -- Writing it makes the folder when it is missing (the user asked for the file).
  vim.api.nvim_create_autocmd('BufWritePre', {
    buffer = buf,
    once = true,
    callback = function(args)
      local parent = vim.fn.fnamemodify(args.match ~= '' and args.match or path, ':p:h')
      if vim.fn.isdirectory(parent) == 0 then
        vim.fn.mkdir(parent, 'p')
      end
    end,
  })
  -- The cursor on the first prompt of the template (its first item), else after the heading.
  local row = #lines
  for i = 6, #lines do
    if lines[i]:match('^%s*[-*+] ') then
      row = i
      break
    end
  end
  vim.api.nvim_win_set_cursor(0, { row, #lines[row] })
end

--- Where `lines` (a template's text) go in buffer `buf`: below the cursor; a template that
--- begins with a heading goes after the end of the contact sections at the cursor that its
--- heading would close (SPEC §5, "Where things go"), so that no line moves into another
--- contact's section or out of its own. Adds the blank lines that keep it apart from its
--- neighbours (in `lines`). Returns the 0-based row to insert at, or nil and a message.
function M.place(buf, lines)
  local row = vim.api.nvim_win_get_cursor(0)[1]
  local hashes = lines[1] and (lines[1]:match('^(#+)%s') or lines[1]:match('^(#+)$'))
  if hashes and #hashes <= 6 then
    local sections, problem = require('kith.log').outline(buf)
    if not sections then
      return nil, problem
    end
    local cursor = row
    for _, s in ipairs(sections) do
      if s.line <= cursor and cursor <= s.end_line and s.level >= #hashes and s.end_line > row then
        row = s.end_line
      end
    end
  end
  local above = row > 0 and vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1] or ''
  local below = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]
  if hashes and not above:match('^%s*$') then
    table.insert(lines, 1, '')
  end
  if hashes and below and not below:match('^%s*$') and not lines[#lines]:match('^%s*$') then
    table.insert(lines, '')
  end
  return row
end

return M
