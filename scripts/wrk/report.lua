-- Loaded by the other scripts here (not run by itself). Every answer whose status is not the one
-- the script expects counts as an error, beside wrk's own socket errors and timeouts; when wrk is
-- done, one line "load-report {JSON}" gives the run's figures to scripts/load_bench.py.
local threads = {}
expected_status = 200
unexpected = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function response(status, headers, body)
  if status ~= expected_status then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("unexpected")
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'load-report {"requests": %d, "seconds": %.3f, "rps": %.2f, "p50_ms": %.3f, "p90_ms": %.3f, ' ..
    '"p99_ms": %.3f, "max_ms": %.3f, "unexpected_status": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000, wrong, e.connect,
    e.read, e.write, e.timeout, wrong + e.connect + e.read + e.write + e.timeout))
end
