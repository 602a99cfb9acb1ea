-- :Kith report [week|month|quarter|year|html]: `kith report` over the current vault (unsaved
-- buffers count) in a scratch buffer, or the HTML page in the browser; (v3) :Kith graph, the
-- network alone.
local uv = require('kith.compat').uv
local host = require('kith.host')

local M = {}

M.ns = vim.api.nvim_create_namespace('kith_report')
M.units = { 'week', 'month', 'quarter', 'year' }
M.BUFFER = 'kith://report'

local function err(msg)
  vim.notify(msg, vim.log.levels.ERROR)
end

-- The vault of the current buffer (else of the current directory) once indexed, or nil after an
-- error.
local function ready_vault()
  -- In the report itself: its vault.
  local vault = vim.b.kith_report and vim.b.kith_vault or require('kith.commands').current_vault()
  if not vault then
    return nil
  end
  local ready, problem = host.wait_vault(vault)
  if not ready then
    err(problem)
    return nil
  end
  return vault
end

-- The scratch buffer named `name` (kith://report, kith://graph), or nil.
local function scratch_buffer(name)
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_valid(b) and vim.api.nvim_buf_get_name(b) == name then
      return b
    end
  end
  return nil
end

-- The window showing the scratch buffer `name` (made, and split off at the bottom, when
-- missing), holding `text` (read-only; `q` closes it). Returns the buffer, the window and the
-- number of lines.
local function scratch_window(name, text)
  local buf = scratch_buffer(name)
  if not buf then
    buf = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_name(buf, name)
    vim.bo[buf].buftype = 'nofile'
    vim.bo[buf].bufhidden = 'wipe'
    vim.bo[buf].swapfile = false
    vim.keymap.set('n', 'q', function()
      if #vim.api.nvim_list_wins() > 1 then
        vim.cmd('close')
      else
        vim.api.nvim_buf_delete(0, { force = true })
      end
    end, { buffer = buf, nowait = true, desc = 'kith: close' })
  end
  local win = vim.fn.bufwinid(buf)
  if win == -1 then
    vim.cmd('botright split')
    win = vim.api.nvim_get_current_win()
    vim.api.nvim_win_set_buf(win, buf)
  else
    vim.api.nvim_set_current_win(win)
  end
  for option, value in pairs({ number = false, relativenumber = false, signcolumn = 'no',
    foldcolumn = '0', wrap = false, list = false, spell = false }) do
    vim.wo[win][option] = value
  end
  local lines = vim.split(text, '\n', { plain = true })
  if lines[#lines] == '' then
    table.remove(lines)
  end
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].modified = false
  return buf, win, #lines
end

-- Highlights of the text table: the title, the header, the Total row and its rule, the notes
-- under the table, handles, empty cells, and the signed balances (positive, negative, zero).
function M.highlight(buf)
  require('kith.highlights').define()
  vim.api.nvim_buf_clear_namespace(buf, M.ns, 0, -1)
  local function mark(row, from, to, group)
    vim.api.nvim_buf_set_extmark(buf, M.ns, row, from, { end_col = to, hl_group = group })
  end
  local in_table, after_table = false, false
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local row = i - 1
    if i == 1 then
      mark(row, 0, #line, 'KithReportTitle')
    elseif line:match('^Contact%s') then
      mark(row, 0, #line, 'KithReportHeader')
      in_table = true
    elseif line:match('^%-%-%-+$') then
      mark(row, 0, #line, 'KithReportTotal')
    elseif in_table and line == '' then
      in_table, after_table = false, true
    elseif after_table or (not in_table and line ~= '') then
      mark(row, 0, #line, 'KithReportNote')
    elseif in_table then
      local total = line:match('^Total%s') ~= nil
      local handle = line:match('^@%S+')
      if total then
        mark(row, 0, #'Total', 'KithReportTotal')
      elseif handle then
        mark(row, 0, #handle, 'KithReportHandle')
      end
      -- Empty periods: a lone '-' between spaces (or at the end).
      local from, padded = 1, line .. ' '
      while true do
        local s = padded:find(' %- ', from)
        if not s then
          break
        end
        mark(row, s, s + 1, 'KithReportZero')
        from = s + 2
      end
      -- The Balance column, last on the line: +N, -N or ±0.
      local s, sign = line:match('()([+%-])%d+%s*$')
      if s then
        mark(row, s - 1, #line, sign == '+' and 'KithReportPositive' or 'KithReportNegative')
      else
        s = line:match('()±0%s*$')
        if s then
          mark(row, s - 1, #line, 'KithReportZero')
        end
      end
    end
  end
end

--- Shows `kith report --by unit` (default month) in the scratch buffer `kith://report`
--- (filetype kithreport; `q` closes it), fitting its window's width.
function M.open(unit)
  unit = unit or 'month'
  if not vim.tbl_contains(M.units, unit) then
    return err(('kith: unknown report %q (week, month, quarter, year or html)'):format(unit))
  end
  local vault = ready_vault()
  if not vault then
    return
  end
  -- As wide as the window it will be in: the report's, else a new one across the screen.
  local shown = scratch_buffer(M.BUFFER) and vim.fn.bufwinid(scratch_buffer(M.BUFFER)) or -1
  local width = shown ~= -1 and vim.api.nvim_win_get_width(shown) or vim.o.columns
  local ok, text = host.request('kith_report', vault, unit, 'text', width)
  if not ok then
    return err(text)
  end
  local buf, win, count = scratch_window(M.BUFFER, text)
  vim.b[buf].kith_vault = vault
  vim.b[buf].kith_report = unit
  if #vim.api.nvim_list_wins() > 1 then
    vim.api.nvim_win_set_height(win, math.min(count + 1, math.max(5, math.floor(vim.o.lines / 2))))
  end
  vim.api.nvim_win_set_cursor(win, { 1, 0 })
  vim.bo[buf].filetype = 'kithreport'
  M.highlight(buf)
end

-- Writes `page` as `name` in a new temporary directory and opens it with vim.ui.open where
-- there is one (Neovim 0.10 and later, or your own), else says where it is. Returns the path,
-- or nil after an error.
local function open_page(page, name, what)
  local dir = uv.fs_mkdtemp(uv.os_tmpdir() .. '/kith-report-XXXXXX')
  local path = dir and (dir .. '/' .. name)
  local f = path and io.open(path, 'wb')
  if not f then
    err('kith: cannot write the ' .. what .. ' in ' .. uv.os_tmpdir())
    return nil
  end
  f:write(page)
  f:close()
  if vim.ui.open then
    local _, problem = vim.ui.open(path)
    if problem then
      err(('kith: %s written to %s, but it could not be opened: %s'):format(what, path, problem))
      return path
    end
    vim.notify(('kith: %s opened: %s'):format(what, path), vim.log.levels.INFO)
  else
    vim.notify(('kith: %s written to %s (open it in a browser)'):format(what, path), vim.log.levels.INFO)
  end
  return path
end

--- Writes the HTML report of the current vault to a new temporary directory and opens it.
--- Returns the path, or nil after an error.
function M.html()
  local vault = ready_vault()
  if not vault then
    return nil
  end
  local ok, page = host.request('kith_report', vault, 'month', 'html')
  if not ok then
    err(page)
    return nil
  end
  return open_page(page, 'report.html', 'report')
end

M.GRAPH_BUFFER = 'kith://graph'

--- :Kith graph [html|dot]: the report's network section alone, written to a temporary file
--- and opened (html, the default), or the Graphviz text in the scratch buffer kith://graph
--- (filetype dot; `q` closes it). Returns the path or the buffer, or nil after an error.
function M.graph(args)
  local format = args and args[1] or 'html'
  if format ~= 'html' and format ~= 'dot' then
    return err(('kith: usage: :Kith graph [html|dot], not %q'):format(format))
  end
  local vault = ready_vault()
  if not vault then
    return nil
  end
  local ok, text = host.request('kith_graph', vault, format)
  if not ok then
    err(text)
    return nil
  end
  if format == 'html' then
    return open_page(text, 'network.html', 'network')
  end
  local buf = scratch_window(M.GRAPH_BUFFER, text)
  vim.bo[buf].filetype = 'dot'
  return buf
end

--- :Kith report [what]
function M.command(args)
  if args[1] == 'html' then
    M.html()
  else
    M.open(args[1])
  end
end

function M.complete()
  local out = vim.deepcopy(M.units)
  table.insert(out, 'html')
  return out
end

return M
