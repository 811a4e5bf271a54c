-- POST each confirmation token of TOKENS_FILE (one a line) once to CONFIRM_PATH. wrk thread k
-- of CONFIRM_THREADS takes lines k, k + CONFIRM_THREADS, ...; a thread stops once each of its
-- tokens has an answer and then creates DONE_DIR/<thread>, so the bench can end wrk (SIGINT)
-- instead of waiting for -d. A connection that finds its thread's tokens all sent while
-- others still wait asks `GET /healthz` instead: those answers are not counted (their
-- latencies are in wrk's percentiles: at most a few per connection, among thousands).
-- The span from the first request to the last answer (monotonic clock) is printed as
-- "SPAN_US n": wrk's own duration also counts the time until it was told to stop.
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
require "common"

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *out);
]]
local now_ts = ffi.new("bench_timespec")
local function now_us()
   ffi.C.clock_gettime(1, now_ts) -- CLOCK_MONOTONIC
   return tonumber(now_ts.tv_sec) * 1000000 + math.floor(tonumber(now_ts.tv_nsec) / 1000)
end

local path = os.getenv("CONFIRM_PATH")
local file = os.getenv("TOKENS_FILE")
local done_dir = os.getenv("DONE_DIR")
local nthreads = tonumber(os.getenv("CONFIRM_THREADS") or "1")
local tokens = {}
local sent = 0
local answered = 0
local verified = false
local finished = false
first_us = 0
last_us = 0

function init(args)
   local id = thread_id or 1
   local line_no = 0
   for line in io.lines(file) do
      if line ~= "" then
         if line_no % nthreads == id - 1 then
            table.insert(tokens, line)
         end
         line_no = line_no + 1
      end
   end
end

local function confirm(token)
   return wrk.format("POST", path, {["Content-Type"] = "application/json"},
      string.format('{"token": "%s"}', token))
end

function request()
   -- wrk calls request() once on the first thread before the run, to check it: that call
   -- must not use up a token.
   if thread_id == 1 and not verified then
      verified = true
      return confirm(tokens[1] or "none")
   end
   if first_us == 0 then
      first_us = now_us()
   end
   if sent < #tokens then
      sent = sent + 1
      return confirm(tokens[sent])
   end
   return wrk.format("GET", "/healthz")
end

function response(status, headers, body)
   if body ~= "ok\n" then
      count_status(status)
      answered = answered + 1
      last_us = now_us()
   end
   if answered >= #tokens and not finished then
      finished = true
      if done_dir then
         local marker = io.open(done_dir .. "/" .. tostring(thread_id), "w")
         if marker then marker:close() end
      end
      wrk.thread:stop()
   end
end

local summarise = done
function done(summary, latency, requests)
   local first, last = nil, 0
   for _, thread in ipairs(threads_seen) do
      local f, l = thread:get("first_us"), thread:get("last_us")
      if f and f > 0 and (first == nil or f < first) then first = f end
      if l and l > last then last = l end
   end
   io.write(string.format("SPAN_US %d\n", first and (last - first) or 0))
   summarise(summary, latency, requests)
end
