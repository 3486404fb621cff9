#!/usr/bin/env bash
# One command for a release: release/release.sh X.Y.Z [--skip-tests | --from-build]
# Makes target/release/X.Y.Z/: the operator image (OCI archive), the packaged chart, the single-file install
# manifest, the SBOM and SHA256SUMS. docs/release.md describes the procedure around it (versions, tag, publish).
#   --skip-tests  a dry run: package, and only the version and chart tests
#   --from-build  a rehearsal from the build already in operator/target (what CI's `mvn verify` made; ReleaseIT
#                 runs it there): no Maven build, and the pom is left as it is
set -euo pipefail
cd "$(dirname "$0")/.."

version="${1:-}"
mode="${2:-}"
case "$mode" in ""|--skip-tests|--from-build) ;; *) echo "release: unknown option $mode" >&2; exit 2 ;; esac
if ! [[ "$version" =~ ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "usage: release/release.sh X.Y.Z [--skip-tests | --from-build]   (SemVer, e.g. 0.1.0 or 0.2.0-rc.1)" >&2
  exit 2
fi

chart_version="$(sed -n 's/^version: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' helm/pi-operator/Chart.yaml)"
app_version="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' helm/pi-operator/Chart.yaml)"
pom_version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)"
if [ "$chart_version" != "$version" ] || [ "$app_version" != "$version" ]; then
  echo "release: helm/pi-operator/Chart.yaml has version $chart_version, appVersion $app_version; set both to $version" >&2
  exit 1
fi
if ! grep -q "^## \[$version\]" CHANGELOG.md; then
  echo "release: CHANGELOG.md has no section '## [$version]' (move Unreleased there, with its upgrade notes)" >&2
  exit 1
fi
case "$pom_version" in
  "$version") ;;
  "$version-SNAPSHOT")
    if [ "$mode" = "--from-build" ]; then
      echo "release: a rehearsal from the $pom_version build in operator/target; the pom is left as it is"
    else
      # The release commit carries the plain version: the jar, the SBOM and the image's label are named by it.
      sed -i "s:<version>$version-SNAPSHOT</version>:<version>$version</version>:" pom.xml operator/pom.xml
      echo "release: pom versions set to $version (commit them as the release commit)"
    fi ;;
  *)
    echo "release: pom.xml has version $pom_version; expected $version or $version-SNAPSHOT" >&2
    exit 1 ;;
esac

# Online: the CycloneDX SBOM is made only when Maven is not offline.
if [ "$mode" = "--from-build" ]; then
  : # the build in operator/target is used as it is
elif [ "$mode" = "--skip-tests" ]; then
  mvn -B package -DskipTests
  mvn -B -q -pl operator test -Dtest='ReleaseVersionsTest,InstallManifestTest,HelmChartTest' \
    -Dsurefire.failIfNoSpecifiedTests=false
else
  mvn -B verify
fi

out="target/release/$version"
rm -rf "$out"
mkdir -p "$out"
image="operator/target/pi-operator-image.tar"
sbom="operator/target/pi-operator-sbom.json"
[ -s "$image" ] || { echo "release: $image was not built (was -Djib.skip set?)" >&2; exit 1; }
[ -s "$sbom" ] || { echo "release: $sbom was not made (offline Maven makes no SBOM)" >&2; exit 1; }
cp "$image" "$out/pi-operator-image-$version.tar"
cp "$sbom" "$out/pi-operator-sbom-$version.json"
# kubectl pi: the launcher and the jar, one archive (what the krew manifest, plugin/pi.yaml, installs).
jar="operator/target/pi-operator.jar"
[ -s "$jar" ] || { echo "release: $jar was not built" >&2; exit 1; }
tar -czf "$out/kubectl-pi-$version.tar.gz" -C plugin kubectl-pi -C "$(pwd)/operator/target" pi-operator.jar

# The packaged chart and the install manifest, with the Helm the chart tests use (no helm CLI needed).
# A rehearsal runs beside tests that use the compiled classes: it does not compile them again.
compile=test-compile
[ "$mode" = "--from-build" ] && compile=
mvn -B -q -pl operator $compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.pistack.operator.release.ReleaseBundle -Dexec.args="$version $(pwd)/$out"

(cd "$out" && sha256sum -- * > SHA256SUMS)
echo "release $version:"
ls -l "$out"
