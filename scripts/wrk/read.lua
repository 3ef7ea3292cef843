-- Reads: GET each path given as an argument in turn (the URL's own path when none is given), with
-- whatever -H headers wrk is given (a bearer token for the API, a session cookie for the pages).
-- The first argument is the status expected, 200 unless given.
--   wrk -s scripts/wrk/read.lua -H "Authorization: Bearer T" URL -- 200 /api/articles/1 /api/articles/1/annotations/
dofile(debug.getinfo(1, "S").source:sub(2):match("(.-)[^/]*$") .. "report.lua")
local prepared, next_one = {}, 0

function init(args)
  expected_status = tonumber(args[1] or "200")
  for i = 2, #args do
    prepared[#prepared + 1] = wrk.format("GET", args[i])
  end
  if #prepared == 0 then
    prepared[1] = wrk.format("GET")
  end
  next_one = (thread_number or 1) % #prepared
end

function request()
  next_one = next_one % #prepared + 1
  return prepared[next_one]
end
