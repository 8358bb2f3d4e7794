-- wrk script: every request asks for the same page under a new query string, so that no
-- request can be answered from a page cache.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local counter = 0

function request()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "?nocache=" .. id .. "-" .. counter)
end
