-- Argo CD health check for pistack.io/PiBackup (any version): one backup of one PiStack.
--
-- Contract: Argo CD sets the global `obj` to the live resource and expects a
-- table {status = ..., message = ...} back. The script runs on gopher-lua (the
-- Lua 5.1 Argo CD embeds) with only the base, table and package libraries, and
-- must never raise: every field may be missing.
--
-- Source of truth: docs/gitops/argocd-health-pibackup.lua. docs/gitops/argocd-cm.yaml
-- embeds a copy; regenerate it with `bash docs/gitops/generate-argocd-cm.sh`.
-- Tests: docs/gitops/test/pibackup/health_test.yaml (Argo CD's layout). The rules
-- are explained in docs/gitops.md.

local hs = {}

local function field(t, key)
  if type(t) ~= "table" then
    return nil
  end
  return t[key]
end

local function text(v)
  if type(v) == "string" then
    return v
  end
  if type(v) == "number" or type(v) == "boolean" then
    return tostring(v)
  end
  return ""
end

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

local function isTrue(c)
  return c ~= nil and text(c.status) == "True"
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

local status = field(obj, "status")
local phase = text(field(status, "phase"))
local conditions = field(status, "conditions")
local ready = condition(conditions, "Ready")
local stalled = condition(conditions, "Stalled")

-- 1. The operator has not taken the PiBackup up yet.
if type(status) ~= "table" or (phase == "" and ready == nil) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to start the backup"
  return hs
end

-- 2. Failed, or completed but failed verification: waiting will not help.
if isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = describe(stalled, "The backup failed")
  return hs
end
if phase == "Failed" then
  hs.status = "Degraded"
  hs.message = text(field(status, "message"))
  if hs.message == "" then
    hs.message = "The backup failed"
  end
  return hs
end

-- 3. Done (and verified, when asked).
if isTrue(ready) then
  hs.status = "Healthy"
  hs.message = describe(ready, "Backup completed")
  if text(ready.message) ~= "" then
    hs.message = text(ready.message)
  end
  return hs
end

-- 4. Pending, running or verifying.
hs.status = "Progressing"
hs.message = describe(ready, "Backup " .. (phase ~= "" and phase or "pending"))
return hs
