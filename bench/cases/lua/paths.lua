-- wrk script for Zakrila's API: each request is a random line of PATHS_FILE (paths
-- formatted once in init(), so the per-request Lua cost is one table lookup), sent
-- with the bearer token — or, for the HTML pages, with a browser's session cookie
-- when the second argument is `cookie:VALUE`. The done() hook prints the same RESULT line as
-- ../shared/bench/limit-bench/lua/random.lua, so both are read the same way.
-- A line `POST<TAB>PATH<TAB>JSON` is posted with that JSON body (the name search,
-- whose names must not be in a URL); any other line is a path to GET.
--   wrk ... -s lua/paths.lua URL -- PATHS_FILE TOKEN|cookie:SESSION
local reqs, n = {}, 0

init = function(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16))
  local headers
  local session = args[2]:match("^cookie:(.*)$")
  if session then
    headers = { ["Cookie"] = "zk_session=" .. session, ["Accept"] = "text/html" }
  else
    headers = { ["Authorization"] = "Bearer " .. args[2], ["Accept"] = "application/json" }
  end
  local json = {}
  for k, v in pairs(headers) do json[k] = v end
  json["Content-Type"] = "application/json"
  for line in io.lines(args[1]) do
    n = n + 1
    local path, body = line:match("^POST\t([^\t]+)\t(.*)$")
    if path then
      reqs[n] = wrk.format("POST", path, json, body)
    else
      reqs[n] = wrk.format("GET", line, headers)
    end
  end
  if n == 0 then error("no requests prepared") end
end

request = function()
  return reqs[math.random(n)]
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.1f p50_us=%d p95_us=%d p99_us=%d max_us=%d requests=%d duration_s=%.2f " ..
    "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.requests, summary.duration / 1e6,
    e.connect, e.read, e.write, e.status, e.timeout))
end
