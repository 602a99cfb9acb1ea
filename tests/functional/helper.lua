-- Loaded by busted before every functional spec (run.sh passes --helper).
-- Makes tests/functional/*.lua requirable (e.g. require('support')).
package.path = 'tests/functional/?.lua;' .. package.path
