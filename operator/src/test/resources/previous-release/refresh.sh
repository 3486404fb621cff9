#!/usr/bin/env bash
# Refreshes the previous-release fixtures from a release commit (run it at each release):
#   pistacks.pistack.io-v1.yml  that release's CRD             (CrdUpgradeOnRealApiTest upgrades from it)
#   samples/*.yaml              that release's samples          (PiStacks as users stored them)
#   render/*.yaml               what that release's operator renders for them (PodTemplatesSincePreviousReleaseTest)
#   RELEASE                     the commit
#   rollouts.txt                emptied: workloads whose pod template changed on purpose since then
# Usage: bash operator/src/test/resources/previous-release/refresh.sh <commit or tag>   (builds it with Maven)
set -euo pipefail
rel=$(git rev-parse --verify "$1^{commit}")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
tmp=$(mktemp -d)
trap 'git -C "$repo" worktree remove --force "$tmp/src" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git -C "$repo" worktree add -q --detach "$tmp/src" "$rel"
(cd "$tmp/src" && mvn -B -q package -DskipTests)
rm -rf "$here/samples" "$here/render"
mkdir -p "$here/samples" "$here/render"
for s in "$tmp/src"/samples/*.yaml; do
  n=$(basename "$s")
  cp "$s" "$here/samples/$n"
  java -jar "$tmp/src/operator/target/pi-operator.jar" render -f "$s" > "$here/render/$n"
done
{ echo "# The PiStack CRD of the previous release ($rel), refreshed by refresh.sh."
  git -C "$repo" show "$rel:crds/pistacks.pistack.io-v1.yml" | grep -v '^#'; } > "$here/pistacks.pistack.io-v1.yml"
echo "$rel" > "$here/RELEASE"
sed -i '/^[^#]/d' "$here/rollouts.txt"   # the new previous release rolls nothing yet
echo "previous release is now $rel: review and commit $here"
