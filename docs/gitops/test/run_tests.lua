-- Test runner for docs/gitops/argocd-health.lua (plain Lua 5.1, no libraries).
--
--   lua5.1 docs/gitops/test/run_tests.lua
--
-- Each fixture in fixtures/ returns either one case or {cases = {...}}; a case
-- is {name = ..., obj = <PiStack as a Lua table>, expect = {status = ...,
-- message = <substring>}}. For every case the runner sets the global `obj`,
-- loads and runs the health check the way Argo CD does, and compares the
-- result. It also checks that argocd-cm.yaml embeds argocd-health.lua verbatim.
-- Prints one line per case, then "N passed, M failed"; exits 1 on any failure.

local here = (arg and arg[0] or ""):match("^(.*)[/\\][^/\\]*$") or "."
local gitops = here .. "/.."
local checkPath = gitops .. "/argocd-health.lua"
local cmPath = gitops .. "/argocd-cm.yaml"

-- Fixture files, in the order they are reported. Add new files here.
local FIXTURES = {
  "no_status",
  "no_observed_generation",
  "stale_generation",
  "progressing_rollout",
  "degraded_crashloop",
  "degraded_and_ready",
  "healthy",
  "healthy_no_message",
  "paused_spec",
  "paused_reason",
  "invalid_spec",
  "ready_false",
  "ready_unknown",
  "missing_conditions",
  "malformed",
}

local VALID = {
  Healthy = true, Progressing = true, Degraded = true,
  Suspended = true, Missing = true, Unknown = true,
}

local passed, failed = 0, 0

local function report(ok, name, detail)
  if ok then
    passed = passed + 1
    print("ok   - " .. name .. (detail and (": " .. detail) or ""))
  else
    failed = failed + 1
    print("FAIL - " .. name .. (detail and (": " .. detail) or ""))
  end
end

local function slurp(path)
  local f = io.open(path, "rb")
  if not f then
    return nil
  end
  local s = f:read("*a")
  f:close()
  return s
end

local function globalsSnapshot()
  local keys = {}
  for k in pairs(_G) do
    keys[k] = true
  end
  return keys
end

-- Runs the health check against `o` exactly as Argo CD does: global obj, then
-- the chunk's return value. Returns ok, result-or-error, leaked-global-name.
local function runCheck(o)
  local chunk, err = loadfile(checkPath)
  if not chunk then
    return false, "cannot load " .. checkPath .. ": " .. tostring(err)
  end
  local before = globalsSnapshot()
  obj = o
  local ok, res = pcall(chunk)
  local leaked
  for k in pairs(_G) do
    if not before[k] and k ~= "obj" then
      leaked = tostring(k)
      _G[k] = nil
    end
  end
  obj = nil
  return ok, res, leaked
end

local function runCase(c)
  local name = tostring(c.name)
  local ok, res, leaked = runCheck(c.obj)
  if not ok then
    report(false, name, "check raised an error: " .. tostring(res))
    return
  end
  if type(res) ~= "table" then
    report(false, name, "check returned " .. type(res) .. ", expected a table")
    return
  end
  if leaked then
    report(false, name, "check leaked global '" .. leaked .. "'")
    return
  end
  local status, message = res.status, res.message
  if not VALID[status] then
    report(false, name, "invalid status " .. tostring(status))
    return
  end
  if type(message) ~= "string" then
    report(false, name, "message is " .. type(message) .. ", expected a string")
    return
  end
  local want = c.expect or {}
  if status ~= want.status then
    report(false, name, "expected status " .. tostring(want.status) .. ", got " .. status .. " (" .. message .. ")")
    return
  end
  if want.message and not message:find(want.message, 1, true) then
    report(false, name, "expected message containing '" .. want.message .. "', got '" .. message .. "'")
    return
  end
  report(true, name, status .. " (" .. message .. ")")
end

local function splitLines(s)
  local lines, pos = {}, 1
  while true do
    local nl = s:find("\n", pos, true)
    if not nl then
      if pos <= #s then
        lines[#lines + 1] = s:sub(pos)
      end
      return lines
    end
    lines[#lines + 1] = s:sub(pos, nl - 1)
    pos = nl + 1
  end
end

-- The copy of the script inside argocd-cm.yaml, de-indented; nil if absent.
local function embeddedScript(yaml)
  local key = "  resource.customizations.health.pistack.io_PiStack: |"
  local lines, inBlock = {}, false
  for _, line in ipairs(splitLines((yaml:gsub("\r\n", "\n")))) do
    if inBlock then
      if line == "" then
        lines[#lines + 1] = ""
      elseif line:sub(1, 4) == "    " then
        lines[#lines + 1] = line:sub(5)
      else
        break
      end
    elseif line == key then
      inBlock = true
    end
  end
  if not inBlock then
    return nil
  end
  return (table.concat(lines, "\n"):gsub("\n+$", ""))
end

local function checkEmbedded()
  local name = "argocd-cm.yaml embeds argocd-health.lua verbatim"
  local lua, yaml = slurp(checkPath), slurp(cmPath)
  if not lua or not yaml then
    report(false, name, "cannot read " .. (lua and cmPath or checkPath))
    return
  end
  local embedded = embeddedScript(yaml)
  if not embedded then
    report(false, name, "key resource.customizations.health.pistack.io_PiStack not found in " .. cmPath)
    return
  end
  local expected = lua:gsub("\r\n", "\n"):gsub("\n+$", "")
  if embedded ~= expected then
    report(false, name, "drifted: run lua5.1 docs/gitops/generate-argocd-cm.lua")
    return
  end
  report(true, name)
end

for _, f in ipairs(FIXTURES) do
  local path = here .. "/fixtures/" .. f .. ".lua"
  local chunk, err = loadfile(path)
  local ok, fixture = false, err
  if chunk then
    ok, fixture = pcall(chunk)
  end
  if not ok or type(fixture) ~= "table" then
    report(false, f, "bad fixture " .. path .. ": " .. tostring(fixture))
  elseif fixture.cases then
    for _, c in ipairs(fixture.cases) do
      runCase(c)
    end
  else
    runCase(fixture)
  end
end

checkEmbedded()

print(passed .. " passed, " .. failed .. " failed")
if failed > 0 then
  os.exit(1)
end
os.exit(0)
