-- Votes as browsers send them: a POST with a session cookie and CSRF token.
-- Arguments: the file of "session-key reply-id" lines, the CSRF secret.
-- Each request takes the next line; passes over the file alternate +1 and -1
-- so every vote changes the counters. wrk threads start at different lines.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  lines = {}
  for line in io.lines(args[1]) do
    local session, reply = line:match("(%S+) (%S+)")
    table.insert(lines, { session, reply })
  end
  token = args[2]
  counter = offset * math.floor(#lines / 2)
end

function request()
  counter = counter + 1
  local item = lines[(counter % #lines) + 1]
  local value = (math.floor(counter / #lines) % 2 == 0) and "1" or "-1"
  local headers = {
    ["Cookie"] = "sessionid=" .. item[1] .. "; csrftoken=" .. token,
    ["X-CSRFToken"] = token,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
  }
  return wrk.format("POST", "/replies/" .. item[2] .. "/vote/", headers, "value=" .. value)
end
