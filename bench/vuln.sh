#!/usr/bin/env bash
# Vulnerability data and matching: import time of every feed in ../shared/data/vuln into a fresh
# store, the store's size, matching 1,000 packages (median of 21 runs, crates/caulk_vuln/examples/
# match_bench.rs), and a whole `caulk scan` of the Debian 12 bookworm image and the AlmaLinux 9
# image with and without the loaded store, interleaved.
#
#   bench/vuln.sh [REPS]      (default 5)
#
# The bookworm and AlmaLinux images are the ones bench/scan-vs-anchors.sh builds into
# $CAULK_BENCH_DIR (default /tmp/caulk-bench-images); run that script once first.
set -euo pipefail
cd "$(dirname "$0")/.."
REPS="${1:-5}"
V="$(cd ../shared/data/vuln && pwd)"
WORK="${CAULK_BENCH_DIR:-/tmp/caulk-bench-images}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
cargo build --release --locked -q -p caulk
cargo build --release --locked -q -p caulk_vuln --example match_bench
CAULK="$PWD/target/release/caulk"
FEEDS=("$V"/*/*.tar.gz "$V/osv-samples/osv.dev" "$V/osv-samples/vunnel")
measure() { python3 bench/measure.py "$OUT/results" "$@"; }

echo "$(nproc) cores; caulk $("$CAULK" --version | cut -d' ' -f2)"
for r in $(seq "$REPS"); do
  rm -rf "$OUT/store"
  measure "import-all" -- env CAULK_CACHE_DIR="$OUT/store" "$CAULK" db import "${FEEDS[@]}"
done
du -b "$OUT/store/advisories.db" | awk '{printf "store size: %.1f MB\n", $1 / 1e6}'
CAULK_CACHE_DIR="$OUT/store" "$CAULK" db status --format json \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print("store:", d["advisories"], "advisories,", d["affected"], "affected entries")'

"$PWD/target/release/examples/match_bench" "$OUT/store/advisories.db" \
  "$V/almalinux-osv/almalinux-osv.tar.gz" "$V/pypa-advisory-db/pypa-osv.tar.gz" \
  "$V/nodejs-security-wg/nodejs-security-wg-vuln.tar.gz" "$V/go-vulndb-osv/go-vulndb-osv.tar.gz"

mkdir -p "$OUT/empty"
for r in $(seq "$REPS"); do
  for img in "bookworm|$WORK/bookworm.tar" "alma9|oci:$WORK/alma9-oci:alma"; do
    IFS='|' read -r name ref <<<"$img"
    measure "scan-nostore:$name" -- env CAULK_CACHE_DIR="$OUT/empty" "$CAULK" scan --no-progress --format json --fail-on never "$ref"
    measure "scan-store:$name" -- env CAULK_CACHE_DIR="$OUT/store" "$CAULK" scan --no-progress --format json --fail-on never "$ref"
  done
done

python3 - "$OUT" <<'PY'
import collections, json, os, statistics, sys
out = sys.argv[1]
rows = collections.defaultdict(list)
for line in open(os.path.join(out, "results")):
    name, wall, rss = line.split()
    rows[name].append((float(wall), int(rss)))
med = {k: statistics.median(w for w, _ in v) for k, v in rows.items()}
print(f"{'run':<22} {'runs':>4} {'median s':>9} {'peak MB':>8}")
for k in sorted(rows):
    v = rows[k]
    print(f"{k:<22} {len(v):>4} {med[k]:>9.3f} {max(r for _, r in v) / 1024:>8.1f}")
for img in ("bookworm", "alma9"):
    a, b = med.get(f"scan-nostore:{img}"), med.get(f"scan-store:{img}")
    if a and b:
        n = json.load(open(os.path.join(out, f"scan-store:{img}.out")))["images"][0]
        print(f"{img}: scan with store / without = {b / a:.2f}x "
              f"({len(n['vulnerabilities'])} vulnerabilities, {n['vulnerability_scan']['packages_checked']} packages checked)")
PY
