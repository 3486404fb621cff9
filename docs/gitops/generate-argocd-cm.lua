-- Regenerates docs/gitops/argocd-cm.yaml from docs/gitops/argocd-health.lua.
--
--   lua5.1 docs/gitops/generate-argocd-cm.lua           write the file
--   lua5.1 docs/gitops/generate-argocd-cm.lua --check   exit 1 if it is stale
--
-- docs/gitops/test/run_tests.lua and ArgoCdHealthLuaTest fail when the copy
-- embedded in argocd-cm.yaml differs from argocd-health.lua.

local here = (arg and arg[0] or ""):match("^(.*)[/\\][^/\\]*$") or "."

local function slurp(path)
  local f = io.open(path, "rb")
  if not f then
    return nil
  end
  local s = f:read("*a")
  f:close()
  return s
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

local function render(lua)
  local out = {
    "# argocd-cm entry for the PiStack health check. Generated from",
    "# docs/gitops/argocd-health.lua by docs/gitops/generate-argocd-cm.lua: do not edit",
    "# by hand. Merge the data key into your existing argocd-cm (see docs/gitops.md).",
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: argocd-cm",
    "  namespace: argocd",
    "  labels:",
    "    app.kubernetes.io/name: argocd-cm",
    "    app.kubernetes.io/part-of: argocd",
    "data:",
    "  resource.customizations.health.pistack.io_PiStack: |",
  }
  local body = lua:gsub("\r\n", "\n"):gsub("\n+$", "")
  for _, line in ipairs(splitLines(body)) do
    if line == "" then
      out[#out + 1] = ""
    else
      out[#out + 1] = "    " .. line
    end
  end
  return table.concat(out, "\n") .. "\n"
end

local lua = slurp(here .. "/argocd-health.lua")
if not lua then
  io.stderr:write("cannot read " .. here .. "/argocd-health.lua\n")
  os.exit(2)
end
local wanted = render(lua)
local target = here .. "/argocd-cm.yaml"

if arg and arg[1] == "--check" then
  if slurp(target) ~= wanted then
    io.stderr:write(target .. " is stale: run lua5.1 docs/gitops/generate-argocd-cm.lua\n")
    os.exit(1)
  end
  print(target .. " is up to date")
  os.exit(0)
end

local f = assert(io.open(target, "wb"))
f:write(wanted)
f:close()
print("wrote " .. target)
