-- wrk script: a flood of wrong sign-ins, as a password-guessing client would send
-- them (form posts to /login, random addresses of one domain, a wrong password).
-- Used by run.sh's `page_flood` endpoint: the case page measured while this runs.
-- done() prints the flood's own rate and latency.
local reqs, n = {}, 200

init = function(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16))
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Accept"] = "text/html" }
  for i = 1, n do
    reqs[i] = wrk.format("POST", "/login", headers,
      "email=guess" .. i .. "%40example.org&password=wrong-password-" .. i)
  end
end

request = function()
  return reqs[math.random(n)]
end

done = function(summary, latency, requests)
  io.write(string.format("FLOOD rps=%.1f p50_us=%d p95_us=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50),
    latency:percentile(95), summary.requests))
end
