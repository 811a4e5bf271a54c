-- POST a signature with a unique email each time: RUN_ID (from the environment) + the wrk
-- thread's number + a per-thread counter. SIGN_PATH is the signatures endpoint.
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
require "common"

local run_id = os.getenv("RUN_ID") or "run"
local path = os.getenv("SIGN_PATH")
local countries = {"SN", "BD", "FJ", "KE", "BR", "PH", "NG", "IN", "MX", "ID", "GH", "PK"}
local n = 0
-- SIGN_DELAY_MS (optional): each connection waits this long between signatures, so a few
-- connections sign at a steady, bounded rate beside another load.
local pause = tonumber(os.getenv("SIGN_DELAY_MS") or "")
if pause then
   function delay()
      return pause
   end
end

function request()
   n = n + 1
   local id = thread_id or 0
   local country = countries[(n % #countries) + 1]
   local kind = (n % 3 == 0) and "organisation" or "individual"
   local body = string.format(
      '{"name": "Signer %d-%d", "email": "s%s.%d.%d@bench.example.org", "country": "%s", ' ..
      '"kind": "%s", "organisation": "Org %d", "show_name": true}',
      id, n, run_id, id, n, country, kind, n % 500)
   return wrk.format("POST", path, {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
   count_status(status)
end
