-- GET the URL given to wrk, counting answers per status.
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
require "common"

function response(status, headers, body)
   count_status(status)
end
