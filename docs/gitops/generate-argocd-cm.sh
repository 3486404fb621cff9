#!/usr/bin/env bash
# Regenerates docs/gitops/argocd-cm.yaml from docs/gitops/argocd-health.lua and argocd-health-pibackup.lua (the sources of truth).
#   bash docs/gitops/generate-argocd-cm.sh           write the file
#   bash docs/gitops/generate-argocd-cm.sh --check   exit 1 if it is stale
# ArgoCdHealthTest fails when the copy embedded in argocd-cm.yaml differs from argocd-health.lua.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
render() {
  cat <<'HEAD'
# argocd-cm entries for the PiStack and PiBackup health checks. Generated from
# docs/gitops/argocd-health.lua and argocd-health-pibackup.lua by docs/gitops/generate-argocd-cm.sh: do not edit
# by hand. Merge the data key into your existing argocd-cm (see docs/gitops.md).
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: argocd
  labels:
    app.kubernetes.io/name: argocd-cm
    app.kubernetes.io/part-of: argocd
data:
  resource.customizations.health.pistack.io_PiStack: |
HEAD
  # indent non-empty lines by four spaces; drop CRs and trailing empty lines
  tr -d '\r' < "$here/argocd-health.lua" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' | sed 's/^\(.\)/    \1/'
  echo '  resource.customizations.health.pistack.io_PiBackup: |'
  tr -d '\r' < "$here/argocd-health-pibackup.lua" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' | sed 's/^\(.\)/    \1/'
}
if [[ "${1:-}" == --check ]]; then
  if ! diff -q <(render) "$here/argocd-cm.yaml" >/dev/null; then
    echo "$here/argocd-cm.yaml is stale: run bash docs/gitops/generate-argocd-cm.sh" >&2
    exit 1
  fi
  echo "$here/argocd-cm.yaml is up to date"
  exit 0
fi
render > "$here/argocd-cm.yaml"
echo "wrote $here/argocd-cm.yaml"
