#!/usr/bin/env bash
# caulk check vs gixy on the nginx corpus, and vs Checkov on the compose corpus (Checkov has no
# docker-compose framework: it is run on the same tree with its Dockerfile/YAML frameworks only to
# show what it finds there — see BENCHMARKS.md). Runs interleaved in one call; medians reported.
#   bench/compose-nginx.sh [REPS]        (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS="${1:-5}"
NGINX_CORPUS="$(cd ../shared/corpus/nginx && pwd)"
COMPOSE_CORPUS="$(cd ../shared/corpus/compose && pwd)"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

python3 -m pip install --quiet --disable-pip-version-check gixy-next checkov >/dev/null 2>&1
GIXY="$(python3 -c 'import shutil; print(shutil.which("gixy") or "")')"
CHECKOV="$(python3 -c 'import shutil; print(shutil.which("checkov") or "")')"
cargo build --release --locked -q -p caulk
CAULK="$PWD/target/release/caulk"

NGINX_FILES=("$NGINX_CORPUS"/*)
# compose projects as Docker Compose finds them: TREE/N/docker-compose.yml
TREE="$OUT/compose"
i=0
for f in "$COMPOSE_CORPUS"/*; do
  i=$((i + 1)); mkdir -p "$TREE/$i"; cp "$f" "$TREE/$i/docker-compose.yml"
done
echo "nginx corpus: ${#NGINX_FILES[@]} files; compose corpus: $i files; $(nproc) cores"
echo "caulk $("$CAULK" --version | cut -d' ' -f2), gixy $("$GIXY" --version 2>&1 | tail -1), checkov $("$CHECKOV" --version 2>/dev/null | tail -1)"

measure() { # name, command...
  python3 bench/measure.py "$OUT/results" "$@"
}

for r in $(seq "$REPS"); do
  measure caulk-nginx -- "$CAULK" check --kind nginx --format json --fail-on never "${NGINX_FILES[@]}"
  measure gixy -- "$GIXY" --format json "${NGINX_FILES[@]}"
  measure caulk-compose -- "$CAULK" check --format json --fail-on never "$TREE"
  if [ -n "$CHECKOV" ]; then
    measure checkov -- "$CHECKOV" --quiet --compact -o json -d "$TREE" --framework yaml
  fi
done

python3 - "$OUT/results" <<'PY'
import statistics, sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, wall, rss = line.split()
    rows[name].append((float(wall), int(rss)))
med = {k: statistics.median(w for w, _ in v) for k, v in rows.items()}
print(f"{'tool':<14} {'runs':>4} {'median s':>9} {'peak MB':>8}")
for k, v in rows.items():
    print(f"{k:<14} {len(v):>4} {med[k]:>9.4f} {max(r for _, r in v) / 1024:>8.1f}")
if "gixy" in med and med.get("caulk-nginx"):
    print(f"gixy / caulk (nginx): {med['gixy'] / med['caulk-nginx']:.1f}x")
if "checkov" in med and med.get("caulk-compose"):
    print(f"checkov / caulk (compose tree): {med['checkov'] / med['caulk-compose']:.1f}x")
PY
