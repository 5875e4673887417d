-- Readers of a hot thread: every other request is signed in.
-- Argument: the signed-in reader's Cookie header. The headers given to wrk
-- (-H) go with every request.

local counter = 0

function init(args)
  signed_in = {}
  for name, value in pairs(wrk.headers) do
    signed_in[name] = value
  end
  signed_in["Cookie"] = args[1]
end

function request()
  counter = counter + 1
  if counter % 2 == 0 then
    return wrk.format("GET", nil, signed_in)
  end
  return wrk.format("GET", nil)
end
