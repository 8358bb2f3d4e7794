-- wrk script for `make loadtest`: each request picks one address at random from a file of
-- paths (one per line), given after `--`:  wrk ... -s benchmarks/mix.lua URL -- paths.txt
local paths = {}

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  return wrk.format(nil, paths[math.random(#paths)])
end
