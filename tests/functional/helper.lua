-- Loaded by busted before every functional spec (make test passes --helper).
-- Makes tests/functional/*.lua requirable (e.g. require('support')).
package.path = 'tests/functional/?.lua;' .. package.path
-- lua-mpack's C module cannot be opened twice in one Lua state (the second luaopen fails
-- with "attempt to index a userdata value"), and busted insulates each spec file, clearing
-- package.loaded after it: the second spec file that drives nvim would fail to load. Loaded
-- here, before the files' insulation, it stays loaded for all of them.
pcall(require, 'mpack')
