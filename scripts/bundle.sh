#!/usr/bin/env bash
# Builds the Elastic Beanstalk source bundle dist/betcity-eb-<version>.zip:
# a prebuilt linux/amd64 binary (SPA embedded) + Procfile + env.yaml +
# .ebextensions + .platform. Prebuilt, because building on the instances needs
# module downloads and CPU on every scale-out (reference §1.3).
#
# Optional environment:
#   AWS_REGION, AWS_ACCOUNT_ID  fill the ${...} placeholders of the secret ARNs
#                               in the bundle's copy of .ebextensions/04-secrets.config
#   VERSION                     overrides `git describe --always --dirty`
#   BUNDLE_WEB=placeholder      do not build the SPA; embed web/dist as it is
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

version="${VERSION:-$(git describe --always --dirty 2>/dev/null || echo dev)}"
out="dist/betcity-eb-${version}.zip"

# 1. The SPA, embedded by go build from web/dist. npm ci only when
#    node_modules is absent (a clean clone), as `make web` does: npm ci deletes
#    node_modules first, which would pull it from under a running dev server.
if [[ "${BUNDLE_WEB:-build}" == placeholder ]]; then
  echo "bundle: BUNDLE_WEB=placeholder: embedding whatever web/dist holds now, the SPA is NOT rebuilt" >&2
elif command -v npm >/dev/null 2>&1 && [[ -f web/package.json ]]; then
  echo "bundle: building the SPA (web/)"
  (cd web && { [[ -d node_modules ]] || npm ci --no-audit --no-fund; } && npm run build)
else
  echo "bundle: npm or web/package.json missing; the binary embeds the committed placeholder web/dist, not the real UI" >&2
fi

# 2. Offline checks of the bundle files, before spending time on the build.
echo "bundle: offline check of .ebextensions, Procfile, .platform"
go test -count=1 ./server/deploy/

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT

# 3. The binary. The architecture must match aws:ec2:instances
#    SupportedArchitectures (x86_64) in .ebextensions/01-environment.config.
echo "bundle: building bin/betcity ${version} for linux/amd64"
CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath \
  -ldflags "-s -w -X main.version=${version}" \
  -o "$staging/bin/betcity" ./server/cmd/betcity

if [[ "$(go env GOHOSTOS)/$(go env GOHOSTARCH)" == linux/amd64 ]]; then
  got="$("$staging/bin/betcity" version)"
  if [[ "$got" != "$version" ]]; then
    echo "bundle: built binary reports version '$got', expected '$version'" >&2
    exit 1
  fi
fi

# 4. Bundle files; cp -a keeps the hooks' executable bits.
cp -a Procfile env.yaml .ebextensions .platform "$staging/"

secrets="$staging/.ebextensions/04-secrets.config"
if [[ -f "$secrets" ]]; then
  if [[ -n "${AWS_REGION:-}" && -n "${AWS_ACCOUNT_ID:-}" ]]; then
    sed -i "/arn:/ { s/\${AWS_REGION}/${AWS_REGION}/g; s/\${AWS_ACCOUNT_ID}/${AWS_ACCOUNT_ID}/g; }" "$secrets"
    echo "bundle: secret ARNs set for account ${AWS_ACCOUNT_ID} in ${AWS_REGION}"
  else
    echo "bundle: WARNING AWS_REGION/AWS_ACCOUNT_ID not set; .ebextensions/04-secrets.config keeps placeholder ARNs that EB cannot resolve (see docs/deploy-aws.md)" >&2
  fi
fi

# 5. Zip from inside the staging dir so the dot-folders sit at the root.
if ! command -v zip >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "bundle: installing zip"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zip >/dev/null
fi
mkdir -p dist
rm -f "$out"
abs_out="$root/$out"
if command -v zip >/dev/null 2>&1; then
  # -X leaves out extra attributes (uid/gid, timestamps); unix modes are kept.
  (cd "$staging" && zip -q -r -X "$abs_out" bin Procfile env.yaml .ebextensions .platform)
else
  # ZipFile.write records st_mode in the external attributes, as zip does.
  python3 - "$staging" "$abs_out" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for top in ("bin", "Procfile", "env.yaml", ".ebextensions", ".platform"):
        p = os.path.join(src, top)
        if os.path.isfile(p):
            z.write(p, top)
        for d, _, files in os.walk(p):
            for f in sorted(files):
                full = os.path.join(d, f)
                z.write(full, os.path.relpath(full, src))
PY
fi

# 6. Prove the modes survived: the binary and every hook must be executable.
python3 - "$abs_out" <<'PY'
import stat, sys, zipfile
bad = []
with zipfile.ZipFile(sys.argv[1]) as z:
    names = z.namelist()
    for i in z.infolist():
        mode = i.external_attr >> 16
        if (i.filename == "bin/betcity" or "/hooks/" in i.filename or "/confighooks/" in i.filename) \
                and not i.is_dir() and not mode & stat.S_IXUSR:
            bad.append(i.filename)
for must in ("Procfile", "bin/betcity", "env.yaml"):
    if must not in names:
        bad.append("missing " + must)
if not any(n.startswith(".ebextensions/") for n in names):
    bad.append("missing .ebextensions/")
if bad:
    sys.exit("bundle: not executable or missing in the zip: " + ", ".join(bad))
PY

# A stable name for `deploy: artifact:` in .elasticbeanstalk/config.yml.
ln -sfn "$(basename "$out")" dist/betcity-eb.zip

size=$(stat -c %s "$out")
bin_size=$(stat -c %s "$staging/bin/betcity")
echo "bundle: $out (dist/betcity-eb.zip points to it)"
echo "bundle: size $size bytes ($(( (size + 1023) / 1024 )) KiB); bin/betcity uncompressed $bin_size bytes"
