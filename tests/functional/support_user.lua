-- support.lua's helpers for what a user does and reads in the editor: buffer lines, the
-- quickfix list, running an Ex command as a user would, opening a note and waiting for its
-- annotations, answering vim.ui.input / vim.ui.select, typing keys, moving the cursor.
--
-- Not required by the specs: support.lua installs these into its own table, so a spec uses
-- them as before (`local t = require('support')`, then t.open_note, t.run_command, ...).
-- Inside this file M stands for that table once installed: M.request, M.wait_for, M.edit
-- etc. are support.lua's.

local M = {} -- the helpers below; install() moves them into support's table

-- What the user reads ------------------------------------------------------------------------

--- Lines of buffer `buf` (default current).
function M.buf_lines(buf)
  return M.request('nvim_buf_get_lines', buf or 0, 0, -1, false)
end

--- ↑ and ↓ numbers of an annotation.
function M.gave_got(text)
  local gave, got = tostring(text):match('↑(%d+) ↓(%d+)')
  return tonumber(gave), tonumber(got)
end

--- The quickfix list as the user sees it: {file (absolute, symlink-free), lnum, col, type,
--- text} per entry.
function M.qflist()
  return M.exec_lua([[
    local out = {}
    for _, e in ipairs(vim.fn.getqflist()) do
      local name = e.bufnr > 0 and vim.fn.fnamemodify(vim.fn.bufname(e.bufnr), ':p') or ''
      table.insert(out, { file = (vim.uv or vim.loop).fs_realpath(name) or name, lnum = e.lnum, col = e.col,
        type = e.type, text = e.text })
    end
    return out
  ]])
end

--- Runs an Ex command as the user would and returns what they get to read: ok (false when
--- the command raised an error), and the error text plus any new lines of :messages, joined
--- with newlines. (An error written during an API call comes back as the call's error
--- instead of landing in :messages.)
function M.run_command(cmd)
  local before = #M.messages()
  local ok, err = M.try_request('nvim_command', cmd)
  M.sleep(50) -- vim.schedule()d notifications
  local seen = {}
  if not ok then
    table.insert(seen, err)
  end
  local msgs = M.messages()
  for i = before + 1, #msgs do
    table.insert(seen, msgs[i])
  end
  return ok, table.concat(seen, '\n')
end

-- Driving the editor as a user does (shared by the editor specs) ---------------------------

M.OPEN_TIMEOUT = 3000 -- ms: first annotations after opening a note (vault indexing)
M.KEY_TIMEOUT = 2000 -- ms: typed keys have done their work

--- Opens a note and waits until kith has annotated it (attached, vault indexed): what a
--- user sees before they run a command.
function M.open_note(vault, rel, line)
  local buf = M.edit(vault .. '/' .. rel)
  if line then
    M.wait_for(function()
      return M.annotations(buf)[line]
    end, M.OPEN_TIMEOUT, rel .. ': annotation on line ' .. line, function()
      return M.dump(M.annotations(buf))
    end)
  else
    M.wait_for(function()
      return M.exec_lua("return require('kith').info(0) ~= nil")
    end, M.OPEN_TIMEOUT, rel .. ' attached')
  end
  return buf
end

--- Replaces vim.ui.input / vim.ui.select in nvim by stubs that answer at once and record
--- what they were asked. answers.input: the text (nil: cancel); answers.select: the handle
--- to pick (nil: cancel). Calling it again changes the answers.
function M.stub_ui(answers)
  M.exec_lua([[
    local answers = ...
    _G.kith_test = _G.kith_test or { inputs = {}, selects = {} }
    _G.kith_test.answers = answers
    vim.ui.input = function(opts, on_confirm)
      table.insert(_G.kith_test.inputs, (opts or {}).prompt or '')
      on_confirm(_G.kith_test.answers.input)
    end
    vim.ui.select = function(items, opts, on_choice)
      local rec = { handles = {}, labels = {} }
      for i, it in ipairs(items) do
        local label = (opts or {}).format_item and opts.format_item(it) or tostring(it)
        local h = type(it) == 'table' and it.handle or label:match('@([%w_][%w_.-]*)')
        rec.handles[i] = h and (tostring(h):gsub('^@', ''):gsub('[.-]+$', ''):lower()) or label
        rec.labels[i] = label
      end
      table.insert(_G.kith_test.selects, rec)
      for i, it in ipairs(items) do
        if rec.handles[i] == _G.kith_test.answers.select then
          return on_choice(it, i)
        end
      end
      on_choice(nil, nil)
    end
  ]], answers or {})
end

--- What the stubs were asked: {inputs = {prompM...}, selects = {{handles, labels}...}}.
function M.ui_calls()
  return M.exec_lua('return _G.kith_test or { inputs = {}, selects = {} }')
end

--- Types keys (as a user would) and waits until `done()` holds.
function M.type_keys(keys, done, what, describe)
  M.request('nvim_input', keys)
  return M.wait_for(done, M.KEY_TIMEOUT, what, describe)
end

function M.set_cursor(line, col)
  M.request('nvim_win_set_cursor', 0, { line, col or 0 })
end

return {
  --- Adds the helpers above to support's table `support` (support.lua calls it once, before
  --- it returns) and from then on lets M stand for that table, so the helpers find every
  --- other helper (and any later change to one) exactly where they did inside support.lua.
  install = function(support)
    for k, v in pairs(M) do
      support[k] = v
      M[k] = nil
    end
    setmetatable(M, { __index = support, __newindex = support })
  end,
}
