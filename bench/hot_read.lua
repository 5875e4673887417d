-- Readers of a hot thread: every other request is signed in.
-- Argument: the signed-in reader's Cookie header.

local counter = 0

function init(args)
  cookie = args[1]
end

function request()
  counter = counter + 1
  if counter % 2 == 0 then
    return wrk.format("GET", nil, { ["Cookie"] = cookie })
  end
  return wrk.format("GET", nil)
end
