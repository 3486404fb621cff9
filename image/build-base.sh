#!/usr/bin/env bash
# Assembles the operator image's base offline, from Debian packages installed on the build machine,
# as a reproducible `docker save`-format tarball that Jib takes as its base (`tar://...`).
#
# No registry image can be pulled on the project's build machines, so the base is made here:
#   - a Java 17 runtime made by jlink from the build JDK's jmods (openjdk-17-jdk-headless), only the
#     modules the operator needs, at /usr/lib/jvm/java-17 with /usr/bin/java;
#   - the shared libraries that runtime links against (libc6, libgcc-s1, libstdc++6, zlib1g), copied
#     from the installed packages, and the dynamic loader;
#   - /etc/passwd and /etc/group with root and nonroot (65532), /tmp (1777), /home/nonroot;
#   - /var/lib/dpkg/status.d/<package>: the dpkg record of every package a file came from, so image
#     scanners can see what the base contains (as distroless images do).
# No shell, no package manager. Same installed packages in => same bytes out: fixed file order,
# owners and timestamps (SOURCE_DATE_EPOCH, default 1).
#
# Usage: build-base.sh OUTPUT_DIR   (writes OUTPUT_DIR/base.tar and OUTPUT_DIR/packages.txt)
set -euo pipefail

out=${1:?usage: build-base.sh OUTPUT_DIR}
epoch=${SOURCE_DATE_EPOCH:-1}
# What `jdeps --print-module-deps` finds for the operator and its libraries, less java.desktop (only
# for java.beans annotations, which Jackson does without) and java.compiler (javapoet, not used at
# run time), plus java.logging, java.xml (logback) and jdk.crypto.ec (TLS with EC keys). OperatorImageIT
# runs the image: a missing module fails it.
modules=java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.unsupported

java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
jlink=$java_home/bin/jlink
[ -x "$jlink" ] || { echo "build-base: no jlink in $java_home (install openjdk-17-jdk-headless)" >&2; exit 1; }
[ -d "$java_home/jmods" ] || { echo "build-base: no jmods in $java_home" >&2; exit 1; }
for tool in dpkg-query tar sha256sum ldd; do
  command -v "$tool" >/dev/null || { echo "build-base: $tool is missing" >&2; exit 1; }
done

mkdir -p "$out"
out=$(cd "$out" && pwd)

# Rebuilt only when its inputs change: this script, the JDK and the installed library packages.
key=$( { sha256sum "$0"; echo "$java_home $modules $epoch"; dpkg-query -W libc6 libgcc-s1 libstdc++6 zlib1g \
  "$(dpkg-query -S "$java_home/jmods/java.base.jmod" | cut -d: -f1)"; } | sha256sum | cut -d' ' -f1)
if [ -f "$out/base.tar" ] && [ "$(cat "$out/key" 2>/dev/null)" = "$key" ]; then
  echo "build-base: $out/base.tar is up to date"
  exit 0
fi
rm -f "$out/key"
work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root"

# Debian's merged /usr layout.
mkdir -p "$root"/usr/bin "$root"/usr/lib/x86_64-linux-gnu "$root"/usr/lib64 "$root"/usr/lib/jvm
ln -s usr/bin "$root/bin"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"

# The Java runtime.
"$jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$root/usr/lib/jvm/java-17"
ln -s ../lib/jvm/java-17/bin/java "$root/usr/bin/java"
files=("$java_home/jmods/java.base.jmod")

# The shared libraries it links against, at their Debian paths, with their soname symlinks.
mapfile -t libs < <(find "$root/usr/lib/jvm/java-17" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | xargs -0 ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' | sort -u)
for lib in "${libs[@]}"; do
  real=$(readlink -f "$lib")
  case "$real" in "$root"/*) continue ;; esac   # the runtime's own libjli.so etc.
  case "$real" in
    /usr/*) ;;
    *) real=/usr$real ;;
  esac
  mkdir -p "$root$(dirname "$real")"
  cp "$real" "$root$real"
  files+=("$real")
  # e.g. /lib/x86_64-linux-gnu/libz.so.1 -> libz.so.1.2.13 (the name the binaries ask for)
  named=/usr${lib#/usr}
  if [ "$named" != "$real" ] && [ ! -e "$root$named" ]; then
    mkdir -p "$root$(dirname "$named")"
    ln -s "$(realpath --relative-to="$(dirname "$named")" "$real")" "$root$named"
  fi
done

# Users, groups, name service, writable /tmp.
mkdir -p "$root/etc" "$root/tmp" "$root/home/nonroot" "$root/root" "$root/var/lib/dpkg/status.d"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
cp /etc/os-release "$root/etc/os-release" 2>/dev/null || true

# What the base is made of: the dpkg record of each package a file came from.
mapfile -t pkgs < <(for f in "${files[@]}"; do dpkg-query -S "$f" 2>/dev/null || dpkg-query -S "${f#/usr}"; done \
  | cut -d: -f1 | sort -u)
: > "$out/packages.txt"
for p in "${pkgs[@]}"; do
  dpkg-query -s "$p" | grep -v '^Status:\|^Conffiles:\|^ /' > "$root/var/lib/dpkg/status.d/${p}"
  dpkg-query -W -f '${Package} ${Version}\n' "$p" >> "$out/packages.txt"
done

# Normalise owners, modes and times, then tar in a fixed order.
chown -R 0:0 "$root"
chown 65532:65532 "$root/home/nonroot"
chmod 700 "$root/home/nonroot" "$root/root"
chmod 1777 "$root/tmp"
find "$root" -exec touch -h -d "@$epoch" {} +
(cd "$root" && tar --sort=name --numeric-owner --format=gnu --mtime="@$epoch" -cf "$work/layer.tar" .)

diff_id=sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
cat > "$work/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"$created","config":{"User":"65532:65532","Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/usr/lib/jvm/java-17"],"WorkingDir":"/home/nonroot"},"rootfs":{"type":"layers","diff_ids":["$diff_id"]},"history":[{"created":"$created","created_by":"image/build-base.sh: jlink $modules; libraries from $(echo "${pkgs[@]}")"}]}
EOF
cat > "$work/manifest.json" <<EOF
[{"Config":"config.json","RepoTags":["pi-operator-base:local"],"Layers":["layer.tar"]}]
EOF
touch -d "@$epoch" "$work/layer.tar" "$work/config.json" "$work/manifest.json"
(cd "$work" && tar --numeric-owner --owner=0 --group=0 --format=gnu --mtime="@$epoch" \
  -cf "$out/base.tar.tmp" manifest.json config.json layer.tar)
mv "$out/base.tar.tmp" "$out/base.tar"
echo "$key" > "$out/key"
echo "build-base: $out/base.tar ($(du -h "$out/base.tar" | cut -f1), layer $diff_id; $(tr '\n' ' ' < "$out/packages.txt"))"
