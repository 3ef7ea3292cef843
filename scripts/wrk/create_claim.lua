-- Claim creation: POST a W3C annotation (a TextQuoteSelector and a TextPositionSelector on the
-- article's text) to the URL wrk is given, /api/articles/<id>/annotations/, with the bearer token
-- passed as -H "Authorization: Bearer ...". The one argument names a file of annotation bodies, one
-- JSON object a line; each request takes one at random. Expects 201.
--   wrk -s scripts/wrk/create_claim.lua -H "Authorization: Bearer T" URL -- bodies.jsonl
dofile(debug.getinfo(1, "S").source:sub(2):match("(.-)[^/]*$") .. "report.lua")
local prepared = {}

function init(args)
  expected_status = 201
  math.randomseed(thread_number or 1)
  wrk.headers["Content-Type"] = "application/ld+json"
  for body in io.lines(args[1]) do
    prepared[#prepared + 1] = wrk.format("POST", nil, nil, body)
  end
  assert(#prepared > 0, "no annotation bodies in " .. args[1])
end

function request()
  return prepared[math.random(#prepared)]
end
