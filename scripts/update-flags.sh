#!/usr/bin/env bash
# Re-extracts the team flags shipped in assets/flags from the flag-icons npm
# package. Only the flags the fifa table needs are copied, so the binary does
# not carry ~270 unused SVGs. Pin the version here; bumping it is a reviewed
# change, and the LICENSE beside the flags is refreshed from the same tarball.
set -euo pipefail

VERSION="${FLAG_ICONS_VERSION:-7.5.0}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/assets/flags"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent "flag-icons@$VERSION" >/dev/null)
tar -xzf "$WORK/flag-icons-$VERSION.tgz" -C "$WORK"

mapfile -t files < <(cd "$ROOT" && go run ./server/fifa/cmd/fifaflags)

rm -f "$DEST"/*.svg
mkdir -p "$DEST"
for f in "${files[@]}"; do
  src="$WORK/package/flags/4x3/$f"
  if [[ ! -f "$src" ]]; then
    echo "update-flags: flag-icons@$VERSION has no flags/4x3/$f" >&2
    exit 1
  fi
  cp "$src" "$DEST/$f"
done

{
  echo "Flags in this directory are copied unmodified from flag-icons $VERSION"
  echo "(https://github.com/lipis/flag-icons, npm package flag-icons, flags/4x3/)."
  echo "They are distributed under the licence below."
  echo
  cat "$WORK/package/LICENSE"
} >"$DEST/LICENSE"

echo "update-flags: copied ${#files[@]} flags from flag-icons@$VERSION into $DEST"
