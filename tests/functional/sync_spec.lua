-- How the host gets a buffer's text (lua/kith/sync.lua): Neovim's changes, merged while the
-- user types and sent as one nvim_buf_lines_event after the debounce, or at once when a
-- request needs them.

local t = require('support')

describe('buffer sync', function()
  after_each(function()
    t.teardown()
  end)

  it('merges any burst of changes into one range that brings the old text up to date', function()
    t.start()
    -- Random edits of every kind (lines replaced, inserted, deleted, text in a line, normal-mode
    -- commands, undo), each burst merged with sync's own _merge from Neovim's on_lines events,
    -- then the merged range applied to a copy of the text before the burst.
    local failures = t.exec_lua([[
      local merge = require('kith.sync')._merge
      local api = vim.api
      local buf = api.nvim_create_buf(true, false)
      api.nvim_set_current_buf(buf)
      local lines = {}
      for i = 1, 40 do
        lines[i] = ('- 2026-03-%02d #gave item %d'):format(i % 28 + 1, i)
      end
      api.nvim_buf_set_lines(buf, 0, -1, false, lines)
      local pending = {}
      api.nvim_buf_attach(buf, false, {
        on_lines = function(_, _, _, first, old_last, new_last)
          merge(pending, first, old_last, new_last)
        end,
      })
      math.randomseed(7)
      local function row(n)
        return math.random(0, math.max(0, n - 1))
      end
      local edits = {
        function(n) -- replace a few lines
          local a = row(n)
          local b = math.min(n, a + math.random(0, 3))
          local new = {}
          for i = 1, math.random(0, 4) do
            new[i] = 'new ' .. i
          end
          if n - (b - a) + #new == 0 then
            new = { 'last' }
          end
          api.nvim_buf_set_lines(buf, a, b, false, new)
        end,
        function(n) -- insert lines
          local r = math.random(0, n)
          api.nvim_buf_set_lines(buf, r, r, false, { 'x', 'y' })
        end,
        function(n) -- text within or across lines
          local r = row(n)
          local text = api.nvim_buf_get_lines(buf, r, r + 1, false)[1]
          local c = math.random(0, #text)
          api.nvim_buf_set_text(buf, r, c, r, c, math.random() < 0.3 and { 'a', 'b' } or { 'z' })
        end,
        function(n) -- normal-mode commands
          api.nvim_win_set_cursor(0, { row(n) + 1, 0 })
          local cmds = { 'dd', 'yyp', 'J', 'oadded', 'Oabove', 'x', '2dd', 'u' }
          vim.cmd('normal! ' .. cmds[math.random(#cmds)])
        end,
      }
      local failures = {}
      for burst = 1, 300 do
        local before = api.nvim_buf_get_lines(buf, 0, -1, false)
        pending.first, pending.old_last, pending.new_last = nil, nil, nil
        for _ = 1, math.random(1, 8) do
          edits[math.random(#edits)](api.nvim_buf_line_count(buf))
        end
        local now = api.nvim_buf_get_lines(buf, 0, -1, false)
        if pending.first then
          local copy = {}
          for i = 1, pending.first do -- 0-based: the lines before it are unchanged
            copy[#copy + 1] = before[i]
          end
          for i = pending.first + 1, pending.new_last do
            copy[#copy + 1] = now[i]
          end
          for i = pending.old_last + 1, #before do
            copy[#copy + 1] = before[i]
          end
          if table.concat(copy, '\n') ~= table.concat(now, '\n') then
            table.insert(failures, burst)
          end
        elseif table.concat(before, '\n') ~= table.concat(now, '\n') then
          table.insert(failures, burst)
        end
      end
      return failures
    ]])
    assert.are.same({}, failures)
  end)

  it('sends changes still waiting for the debounce before a request is answered', function()
    local vault = t.copy_vault()
    t.start({ setup = { vault = vault, debounce = 60000 } })
    local buf = t.edit(vault .. '/people/bob.md')
    t.wait_for(function()
      return next(t.annotations(buf)) ~= nil
    end, 3000, 'bob.md annotated')
    local before = t.json_decode(t.exec_lua([[
      local ok, res = require('kith.host').request('kith_balances', ...)
      return ok and res or error(res)
    ]], vault))
    local gave
    for _, c in ipairs(before.contacts) do
      if c.handle == 'bob' then
        gave = c.gave
      end
    end
    assert.is_number(gave)
    -- An item for bob, then at once (the debounce is a minute) the balances.
    t.request('nvim_buf_set_lines', buf, -1, -1, false, { '- 2026-11-25 #gave:5 a book he wanted' })
    local after = t.json_decode(t.exec_lua([[
      local ok, res = require('kith.host').request('kith_balances', ...)
      return ok and res or error(res)
    ]], vault))
    for _, c in ipairs(after.contacts) do
      if c.handle == 'bob' then
        assert.are.equal(gave + 5, c.gave)
      end
    end
  end)
  it('sends a burst of typing once, debounce ms after its last change, and the annotation follows', function()
    local vault = t.copy_vault()
    t.start({ setup = { vault = vault, debounce = 300 } })
    local buf = t.edit(vault .. '/people/bob.md')
    t.wait_for(function()
      return next(t.annotations(buf)) ~= nil
    end, 3000, 'bob.md annotated')
    -- In Neovim: six items for bob, 100 ms apart (a burst: each within the debounce of the one
    -- before), each a change on its own; the times of the changes and of every change of the
    -- annotation on bob's heading (polled every 5 ms), from a clock of Neovim's.
    t.exec_lua([[
      local buf = ...
      local ns = vim.api.nvim_create_namespace('kith')
      local uv = vim.loop
      local function annotation()
        for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })) do
          local line = vim.api.nvim_buf_get_lines(buf, m[2], m[2] + 1, false)[1]
          if line:find('@bob', 1, true) then
            local text = {}
            for _, chunk in ipairs(m[4].virt_text) do
              text[#text + 1] = chunk[1]
            end
            return table.concat(text)
          end
        end
      end
      _G.burst = { changes = {}, shown = {}, first = annotation() }
      local last = _G.burst.first
      local poll = uv.new_timer()
      poll:start(5, 5, vim.schedule_wrap(function()
        local now = annotation()
        if now ~= last then
          last = now
          table.insert(_G.burst.shown, { at = uv.hrtime() / 1e6, text = now })
        end
      end))
      local n = 0
      local function change()
        n = n + 1
        vim.api.nvim_buf_set_lines(buf, -1, -1, false, { '- 2026-11-25 #gave @bob item ' .. n })
        table.insert(_G.burst.changes, uv.hrtime() / 1e6)
        if n < 6 then
          vim.defer_fn(change, 100)
        end
      end
      change()
    ]], buf)
    local burst
    t.wait_for(function()
      burst = t.exec_lua('return _G.burst')
      local shown = burst.shown[#burst.shown]
      local gave = shown and t.gave_got(shown.text)
      return gave and gave == t.gave_got(burst.first) + 6
    end, 5000, 'bob\'s annotation counts the six items', function()
      return t.dump(burst)
    end)
    local last_change = burst.changes[6]
    -- The burst went to the host once: the annotation changed once, with all six items,
    -- not before the debounce had passed since the last change (and within a second of it).
    assert.are.equal(1, #burst.shown, t.dump(burst))
    local after = burst.shown[1].at - last_change
    assert.is_true(after >= 300 - 5, ('shown %.0f ms after the last change'):format(after))
    assert.is_true(after < 1300, ('shown %.0f ms after the last change'):format(after))
  end)
end)
