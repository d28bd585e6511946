#!/usr/bin/env bash
# Prints the gzipped size of every built SPA chunk and the total the employee pages load
# (index.html's scripts, modulepreloads and stylesheets, i.e. everything but the lazy
# admin/HR/operator chunks). Fails when that total exceeds the budget (100 KB gzipped).
# Usage: scripts/web-size.sh [--build]   (make bench calls it; --build runs `npm run build` first)
set -euo pipefail
cd "$(dirname "$0")/../web"
BUDGET_KB=${WEB_BUDGET_KB:-100}

if [[ "${1:-}" == "--build" || ! -f dist/index.html ]]; then
  [[ -d node_modules ]] || npm ci --no-audit --no-fund >/dev/null
  npm run build >/dev/null
fi

gz() { gzip -9 -c "$1" | wc -c; }

echo "web chunk sizes (gzip -9):"
for f in dist/assets/*.js dist/assets/*.css; do
  [[ -e "$f" ]] || continue
  awk -v b="$(gz "$f")" -v f="${f#dist/}" 'BEGIN { printf "  %8.1f KB  %s\n", b / 1024, f }'
done

# Initial load of the employee pages = what index.html references.
mapfile -t initial < <(grep -oE '(src|href)="/assets/[^"]+\.(js|css)"' dist/index.html | sed -E 's/.*="\/(assets\/[^"]+)"/\1/' | sort -u)
total=$(gz dist/index.html)
for f in "${initial[@]}"; do total=$((total + $(gz "dist/$f"))); done
awk -v b="$total" -v n="${#initial[@]}" -v budget="$BUDGET_KB" \
  'BEGIN { printf "employee pages (index.html + %d initial assets): %.1f KB gzipped (budget %d KB)\n", n, b / 1024, budget }'
if (( total > BUDGET_KB * 1024 )); then
  echo "FAIL: the employee pages exceed the ${BUDGET_KB} KB gzipped budget" >&2
  exit 1
fi
