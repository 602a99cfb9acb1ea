-- `kith graph` and the new agenda groups on the command line (SPEC §3 v3): the edges as text,
-- JSON (a node per listed contact, the same as `balances` lists), DOT that Graphviz's `dot`
-- turns into SVG whatever the names hold, a page that draws the network (`--html FILE`, the
-- only file written); `--dates-days` and `.kith`'s `dates_days` for the birthday group.

local cli = require('cli')
local t = require('support')

local TODAY = '2026-11-26'
local EXAMPLE = t.ROOT .. '/examples/vault'

local function kith(args)
  local out, code, err = cli.run(args)
  return out, code, err
end

local function json(args)
  local out, code, err = kith(args)
  assert(code == 0 or code == 1, ('kith %s: exit %s\n%s'):format(table.concat(args, ' '), tostring(code), err))
  return cli.decode(vim.json, out)
end

-- A vault holding a name that DOT and HTML must escape.
local function hostile_vault()
  local dir = t.temp_dir()
  t.sh('mkdir -p ' .. t.shell_quote(dir .. '/people'))
  t.write_file(dir .. '/.kith', '')
  t.write_file(dir .. '/people/eve.md', table.concat({
    '---',
    'handle: "@eve"',
    'name: "Eve \\"<b>\\" \\\\ O\'Brien"',
    'birthday: 1990-11-30',
    '---',
    '- 2026-11-02 #gave #intro @eve @bob',
    '- 2026-11-03 #met @eve @bob @carol',
    '',
  }, '\n'))
  return dir
end

describe('kith graph', function()
  after_each(function()
    t.teardown()
  end)

  it('--json: a node per listed contact, an edge per pair and kind, sorted', function()
    local g = json({ 'graph', '--json', '--today', TODAY, EXAMPLE })
    local b = json({ 'balances', '--json', '--today', TODAY, EXAMPLE })
    assert.are.equal(TODAY, g.today)
    assert.are.equal(#b.contacts, #g.nodes)
    for i, c in ipairs(b.contacts) do
      local n = g.nodes[i]
      assert.are.same({ c.handle, c.name, c.gave, c.got, c.met, c.status },
        { n.handle, n.name, n.gave, n.got, n.met, n.status })
    end
    assert.is_true(#g.edges >= 2)
    local kinds = {}
    for i, e in ipairs(g.edges) do
      assert.is_true(e.a < e.b, e.a .. ' < ' .. e.b)
      assert.is_true(e.count >= 1 and e.first_date <= e.last_date)
      kinds[e.kind] = true
      if i > 1 then
        local p = g.edges[i - 1]
        assert.is_true(p.a < e.a or (p.a == e.a and (p.b < e.b or (p.b == e.b and p.kind < e.kind))))
      end
    end
    assert.is_true(kinds.intro and kinds.together, 'the example vault has both kinds')
    -- Each introduction is listed by both contacts of the pair (balances `introduced`).
    for _, e in ipairs(g.edges) do
      if e.kind == 'intro' then
        local listed = 0
        for _, c in ipairs(b.contacts) do
          for _, i in ipairs(c.introduced) do
            if (c.handle == e.a and i.handle == e.b) or (c.handle == e.b and i.handle == e.a) then
              listed = listed + 1
            end
          end
        end
        assert.are.equal(2 * e.count, listed, e.a .. '-' .. e.b)
      end
    end
  end)

  it('text: the edges, one a line', function()
    local out, code = kith({ 'graph', '--today', TODAY, EXAMPLE })
    assert.are.equal(0, code)
    local g = json({ 'graph', '--json', '--today', TODAY, EXAMPLE })
    local lines = vim.split(out, '\n', { trimempty = true })
    assert.are.equal(#g.edges, #lines)
    for i, e in ipairs(g.edges) do
      assert.is_truthy(lines[i]:match('^@' .. vim.pesc(e.a) .. '%s+%-%- @' .. vim.pesc(e.b) .. '%s+' .. e.kind .. '%s+' .. e.count .. '%s'), lines[i])
    end
  end)

  it('--dot: valid for Graphviz, names escaped', function()
    local vault = hostile_vault()
    local out, code = kith({ 'graph', '--dot', '--today', TODAY, vault })
    assert.are.equal(0, code)
    assert.is_truthy(out:find('"eve" [label="Eve \\"<b>\\" \\\\ O\'Brien"', 1, true), out)
    assert.is_truthy(out:find('"bob" -- "eve" [kind="intro", count=1, penwidth=1, style=bold];', 1, true), out)
    if vim.fn.executable('dot') ~= 1 then
      return pending('no Graphviz dot here (make test installs Debian\'s graphviz)')
    end
    local path = os.tmpname()
    t.write_file(path, out)
    local svg = t.capture('dot -Tsvg ' .. t.shell_quote(path) .. ' 2>&1')
    os.remove(path)
    assert.is_truthy(svg:find('<svg', 1, true), svg)
    assert.is_falsy(svg:find('Warning', 1, true) or svg:find('Error', 1, true), svg)
    assert.is_truthy(svg:find('Eve &quot;&lt;b&gt;&quot; \\ O&#39;Brien', 1, true), svg)
  end)

  it('--html FILE writes the network page and nothing else; names are text', function()
    local vault = hostile_vault()
    local dir = t.temp_dir()
    local before = t.capture('cd ' .. t.shell_quote(vault) .. ' && find . -type f | sort | xargs cat | cksum')
    local out, code, err = kith({ 'graph', '--html', dir .. '/n.html', '--today', TODAY, vault })
    assert.are.equal(0, code, err)
    assert.are.equal('', out)
    assert.are.equal('n.html\n', t.capture('ls -A ' .. t.shell_quote(dir)))
    assert.are.equal(before, t.capture('cd ' .. t.shell_quote(vault) .. ' && find . -type f | sort | xargs cat | cksum'))
    local page = t.read_file(dir .. '/n.html')
    assert.is_truthy(page:find('<svg class="network"', 1, true))
    assert.are.equal(3, select(2, page:gsub('<circle ', '')))
    assert.is_truthy(page:find('Eve &quot;&lt;b&gt;&quot; \\ O&#39;Brien', 1, true))
    assert.is_falsy(page:find('<b>', 1, true))
    for _, bad in ipairs({ '<script', 'http', 'src=', 'url(', '@import', '<link', '<img' }) do
      assert.is_falsy(page:lower():find(bad, 1, true), 'the page holds ' .. bad)
    end
    -- The same vault gives the same picture.
    kith({ 'graph', '--html', dir .. '/again.html', '--today', TODAY, vault })
    assert.are.equal(page, t.read_file(dir .. '/again.html'))
  end)

  it('takes one format; a vault that is not there is exit 2', function()
    local _, code, err = kith({ 'graph', '--json', '--dot', EXAMPLE })
    assert.are.equal(2, code)
    assert.is_truthy(err:find('graph takes one of --json, --dot and --html', 1, true), err)
    _, code = kith({ 'graph', '--today', TODAY, '/nonexistent/vault' })
    assert.are.equal(2, code)
  end)
end)

describe('the agenda (v3)', function()
  after_each(function()
    t.teardown()
  end)

  it('lists birthdays within --dates-days (default 14, or .kith dates_days) and open asks', function()
    local vault = hostile_vault() -- eve's birthday is in 4 days
    local function birthdays(...)
      local args = { 'agenda', '--json', '--today', TODAY }
      vim.list_extend(args, { ... })
      table.insert(args, vault)
      local n = 0
      for _, it in ipairs(json(args).items) do
        if it.group == 'birthday' then
          assert.are.equal('2026-11-30', it.date)
          assert.are.equal(vim.NIL, it.text)
          n = n + 1
        end
      end
      return n
    end
    assert.are.equal(1, birthdays())
    assert.are.equal(0, birthdays('--dates-days', '3'))
    t.write_file(vault .. '/.kith', 'dates_days: 2\n')
    assert.are.equal(0, birthdays())
    assert.are.equal(1, birthdays('--dates-days', '4'))
    local out = kith({ 'agenda', '--today', TODAY, EXAMPLE })
    assert.is_truthy(out:find('Birthdays in the next 14 days', 1, true), out)
    assert.is_truthy(out:find('Open asks: what they need', 1, true), out)
    local _, code, err = kith({ 'agenda', '--dates-days', '400', EXAMPLE })
    assert.are.equal(2, code)
    assert.is_truthy(err:find('--dates-days', 1, true), err)
  end)
end)
