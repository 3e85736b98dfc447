-- wrk script for the load benchmark: POSTs one chat completion with a bearer key, then prints a machine-readable
-- RESULT line (latencies in microseconds). Environment: BENCH_KEY (the API key), BENCH_STREAM=1 for "stream": true.
local key = os.getenv("BENCH_KEY") or "none"
local stream = os.getenv("BENCH_STREAM") == "1"

wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key
wrk.body = '{"model":"fake-model",' .. (stream and '"stream":true,' or '') ..
  '"messages":[{"role":"system","content":"You are a helpful assistant. Answer briefly."},' ..
  '{"role":"user","content":"Explain in a few sentences how a reverse proxy keeps its upstream connections ' ..
  'alive, and why that matters for the latency a customer sees."}]}'

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
