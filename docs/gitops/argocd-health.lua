-- Argo CD health check for pistack.io/PiStack (any version).
--
-- Contract: Argo CD sets the global `obj` to the live resource and expects a
-- table {status = ..., message = ...} back. The script runs on gopher-lua (the
-- Lua 5.1 Argo CD embeds) with only the base, table and package libraries, and
-- must never raise: every field may be missing.
--
-- Source of truth: docs/gitops/argocd-health.lua. docs/gitops/argocd-cm.yaml
-- embeds a copy; regenerate it with `bash docs/gitops/generate-argocd-cm.sh`.
-- Tests: docs/gitops/test/health_test.yaml (Argo CD's layout). The rules are
-- explained in docs/gitops.md.

local hs = {}

local function field(t, key)
  if type(t) ~= "table" then
    return nil
  end
  return t[key]
end

local function text(v)
  if v == nil then
    return ""
  end
  if type(v) == "string" then
    return v
  end
  if type(v) == "number" or type(v) == "boolean" then
    return tostring(v)
  end
  return ""
end

-- First condition of the given type, or nil.
local function condition(conditions, ctype)
  if type(conditions) ~= "table" then
    return nil
  end
  for _, c in ipairs(conditions) do
    if type(c) == "table" and c.type == ctype then
      return c
    end
  end
  return nil
end

local function isStatus(c, value)
  return c ~= nil and text(c.status) == value
end

-- "reason: message", or whichever of the two is set, or the fallback.
local function describe(c, fallback)
  local reason = text(field(c, "reason"))
  local message = text(field(c, "message"))
  if reason ~= "" and message ~= "" then
    return reason .. ": " .. message
  end
  if message ~= "" then
    return message
  end
  if reason ~= "" then
    return reason
  end
  return fallback
end

local metadata = field(obj, "metadata")
local spec = field(obj, "spec")
local status = field(obj, "status")

-- 1. The operator has not written a status for this PiStack yet.
local observed = tonumber(field(status, "observedGeneration"))
if type(status) ~= "table" or observed == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe the PiStack"
  return hs
end

-- 2. The spec changed and the operator has not caught up with it yet.
local generation = tonumber(field(metadata, "generation"))
if generation ~= nil and observed < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. text(field(metadata, "generation"))
  return hs
end

local conditions = field(status, "conditions")
local ready = condition(conditions, "Ready")
local progressing = condition(conditions, "Progressing")
local degraded = condition(conditions, "Degraded")

-- 3. Reconciliation deliberately paused.
local paused = field(spec, "paused")
if paused == true or paused == "true" or text(field(ready, "reason")) == "Paused" then
  hs.status = "Suspended"
  hs.message = "Reconciliation is paused"
  return hs
end

-- 4. The operator reports a fault (e.g. CrashLoopBackOff).
if isStatus(degraded, "True") then
  hs.status = "Degraded"
  hs.message = describe(degraded, "The operator reports the PiStack as degraded")
  return hs
end

-- 5. Put to sleep on purpose (spec.hibernation): every pod stopped, the data kept.
local hibernated = condition(conditions, "Hibernated")
if isStatus(hibernated, "True") then
  hs.status = "Suspended"
  hs.message = describe(hibernated, "The stack is hibernated")
  return hs
end

-- 6. Everything is up.
if isStatus(ready, "True") then
  hs.status = "Healthy"
  local message = text(ready.message)
  if message == "" then
    message = "All components ready"
  end
  hs.message = message
  return hs
end

-- 7. Bad input never becomes healthy by waiting.
if isStatus(ready, "False") and text(ready.reason) == "InvalidSpec" then
  hs.status = "Degraded"
  hs.message = describe(ready, "InvalidSpec")
  return hs
end

-- 8. A rollout is under way, or the stack is not ready yet.
if isStatus(progressing, "True") then
  hs.status = "Progressing"
  local message = text(progressing.message)
  if message == "" then
    message = describe(progressing, "Rollout in progress")
  end
  hs.message = message
  return hs
end
if isStatus(ready, "False") or isStatus(ready, "Unknown") then
  hs.status = "Progressing"
  hs.message = describe(ready, "Waiting for the PiStack to become ready")
  return hs
end

-- 9. Anything else (no conditions yet, unexpected values): keep waiting.
hs.status = "Progressing"
hs.message = "Waiting for the operator to report the Ready condition"
return hs
