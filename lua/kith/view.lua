-- What the host draws: end-of-line annotations on contact headings and diagnostics. The host
-- calls apply() through nvim_exec_lua, one batched call per buffer update.
local M = {}

M.ns = vim.api.nvim_create_namespace('kith')
-- kith's diagnostics have a position but no extent, so an underline would be empty: it would
-- show nothing, yet vim.diagnostic reads its extmarks back on every change of the buffer
-- (doc/DESIGN.md, "What kith costs Neovim").
vim.diagnostic.config({ underline = false }, M.ns)

-- What each buffer shows now: mark id -> key of its chunks, and the diagnostics' key. Lets
-- apply() touch only what changed (typing in one section changes one mark, not forty).
local shown = {}

local function chunks_key(chunks)
  local parts = {}
  for _, c in ipairs(chunks) do
    parts[#parts + 1] = c[1] .. '\1' .. (c[2] or '')
  end
  return table.concat(parts, '\2')
end

local function diags_key(diags)
  local parts = {}
  for _, d in ipairs(diags) do
    parts[#parts + 1] = table.concat({ d[1], d[2], d[3], d[4] }, '\1')
  end
  return table.concat(parts, '\2')
end

--- Applies one update for `buf` computed at changedtick `tick`. marks: {{row, chunks, end_row,
--- handle}, ...} (one per contact heading, in order; end_row: the last row of its section);
--- diags: {{row, col, severity, message}, ...}.
--- Returns true; or, changing nothing, false when the buffer is gone and its changedtick when
--- it has changed since (the host then knows whether it missed a change without text).
function M.apply(buf, tick, marks, diags)
  if not vim.api.nvim_buf_is_loaded(buf) then
    return false
  end
  local now = vim.api.nvim_buf_get_changedtick(buf)
  if now ~= tick then
    require('kith.sync').flush(buf) -- the host gets the changes it lacks before this answer
    return now
  end
  local cfg = require('kith.config').get()
  local show = cfg.annotations.enabled ~= false
  local position = cfg.annotations.position == 'right_align' and 'right_align' or 'eol'
  local line_count = vim.api.nvim_buf_line_count(buf)
  local state = shown[buf] or { marks = {} }
  shown[buf] = state
  local sections = {}
  local rows = {}
  for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(buf, M.ns, 0, -1, {})) do
    rows[mark[1]] = mark[2]
  end
  for i, mark in ipairs(marks) do
    local row, chunks = mark[1], mark[2]
    if mark[4] then
      local text = {}
      for _, c in ipairs(chunks) do
        text[#text + 1] = c[1]
      end
      sections[#sections + 1] = { row = row, end_row = mark[3], handle = mark[4], text = table.concat(text) }
    end
    if show and #chunks > 0 and row < line_count then
      local key = chunks_key(chunks) .. '\3' .. position
      if rows[i] ~= row or state.marks[i] ~= key then
        vim.api.nvim_buf_set_extmark(buf, M.ns, row, 0, {
          id = i,
          virt_text = chunks,
          virt_text_pos = position,
          hl_mode = 'combine',
        })
        state.marks[i] = key
      end
    elseif rows[i] then
      vim.api.nvim_buf_del_extmark(buf, M.ns, i)
      state.marks[i] = nil
    end
  end
  for id in pairs(rows) do
    if id > #marks then
      vim.api.nvim_buf_del_extmark(buf, M.ns, id)
      state.marks[id] = nil
    end
  end
  require('kith.status').set_sections(buf, sections)
  local dkey = diags_key(diags)
  if dkey ~= state.diags or #vim.diagnostic.get(buf, { namespace = M.ns }) ~= #diags then
    local items = {}
    for _, d in ipairs(diags) do
      table.insert(items, {
        lnum = math.min(d[1], line_count - 1),
        col = d[2],
        severity = d[3],
        message = d[4],
        source = 'kith',
      })
    end
    vim.diagnostic.set(M.ns, buf, items)
    state.diags = dkey
  end
  return true
end

--- Called by the host after every update of a vault (root) with its counts for the statusline:
--- {overdue = follow-ups overdue, reach_out = contacts to reach out to}.
function M.vault(root, counts)
  require('kith.complete').invalidate(root)
  require('kith.status').set_counts(root, counts)
  return true
end

--- Removes kith's annotations and diagnostics from a buffer.
function M.clear(buf)
  shown[buf] = nil
  require('kith.status').set_sections(buf, nil)
  if vim.api.nvim_buf_is_valid(buf) then
    vim.api.nvim_buf_clear_namespace(buf, M.ns, 0, -1)
    vim.diagnostic.reset(M.ns, buf)
  end
end

--- Forgets what a wiped-out buffer showed.
function M.forget(buf)
  shown[buf] = nil
  require('kith.status').set_sections(buf, nil)
end

--- A short progress or summary line from the host: echoed, not kept, never a prompt.
function M.message(text)
  vim.api.nvim_echo({ { text } }, false, {})
  return true
end

return M
