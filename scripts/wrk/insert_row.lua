-- The baseline (scripts/baseline_app.py): POST an empty body to its one endpoint, which inserts a
-- row into SQLite and answers 201.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.-)[^/]*$") .. "report.lua")
local prepared

function init(args)
  expected_status = 201
  prepared = wrk.format("POST", "/", nil, "")
end

function request()
  return prepared
end
