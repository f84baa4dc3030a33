-- wrk script posting anonymous tips to /api/v1/public/tips, each from another
-- client address (X-Forwarded-For; the server runs with ZAKRILA_TRUSTED_PROXIES=1),
-- as a flood from many senders would come. Counts the answers by status in every
-- thread; done() prints the RESULT line of ../../cases/lua/paths.lua plus
-- `created=` (201) and `refused=` (anything else), to compare with the rows written.
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local body = '{"what":"В съседната къща живеят десетина мъже, извеждат ги с бус в 5 сутринта.",'
  .. '"where":"BG-16","when":"от месец","forms":["labour"]}'
local n = 0

init = function(args)
  created, refused = 0, 0
end

request = function()
  n = n + 1
  local ip = string.format("10.%d.%d.%d", tid % 256, math.floor(n / 256) % 256, n % 256)
  return wrk.format("POST", "/api/v1/public/tips",
    { ["Content-Type"] = "application/json", ["X-Forwarded-For"] = ip }, body)
end

response = function(status, headers, body)
  if status == 201 then created = created + 1 else refused = refused + 1 end
end

done = function(summary, latency, requests)
  local c, r = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    r = r + t:get("refused")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.1f p50_us=%d p95_us=%d p99_us=%d max_us=%d requests=%d duration_s=%.2f " ..
    "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d created=%d refused=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.requests, summary.duration / 1e6,
    e.connect, e.read, e.write, e.status, e.timeout, c, r))
end
