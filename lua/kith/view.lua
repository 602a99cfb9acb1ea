-- What the host draws: end-of-line annotations on contact headings and diagnostics. The host
-- calls apply() through nvim_exec_lua, one batched call per buffer update.
local M = {}

M.ns = vim.api.nvim_create_namespace('kith')

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

--- Applies one update for `buf` computed at changedtick `tick`. marks: {{row, chunks}, ...}
--- (one per contact heading, in order); diags: {{row, col, severity, message}, ...}.
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
  local line_count = vim.api.nvim_buf_line_count(buf)
  local state = shown[buf] or { marks = {} }
  shown[buf] = state
  local rows = {}
  for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(buf, M.ns, 0, -1, {})) do
    rows[mark[1]] = mark[2]
  end
  for i, mark in ipairs(marks) do
    local row, chunks = mark[1], mark[2]
    if show and #chunks > 0 and row < line_count then
      local key = chunks_key(chunks)
      if rows[i] ~= row or state.marks[i] ~= key then
        vim.api.nvim_buf_set_extmark(buf, M.ns, row, 0, {
          id = i,
          virt_text = chunks,
          virt_text_pos = 'eol',
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

--- Removes kith's annotations and diagnostics from a buffer.
function M.clear(buf)
  shown[buf] = nil
  if vim.api.nvim_buf_is_valid(buf) then
    vim.api.nvim_buf_clear_namespace(buf, M.ns, 0, -1)
    vim.diagnostic.reset(M.ns, buf)
  end
end

--- Forgets what a wiped-out buffer showed.
function M.forget(buf)
  shown[buf] = nil
end

--- A short progress or summary line from the host: echoed, not kept, never a prompt.
function M.message(text)
  vim.api.nvim_echo({ { text } }, false, {})
  return true
end

return M
