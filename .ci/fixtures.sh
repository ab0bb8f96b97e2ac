#!/usr/bin/env bash
# Test fixtures fetched from the public registries once, before the tests run (tests themselves
# never use the network): old and patched releases of Python and npm packages, installed by the
# end-to-end vulnerability tests into real images to prove matches against the PyPA and Node.js
# security WG data. Idempotent; the directory is $CAULK_TEST_FIXTURES or target/test-fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${CAULK_TEST_FIXTURES:-$PWD/target/test-fixtures}"
mkdir -p "$dir/wheels" "$dir/npm"

# Vulnerable releases (PYSEC advisories published for each) and releases that fix those advisories.
wheels=(flask==0.12.2 requests==2.19.1 jinja2==2.10 urllib3==1.23
        flask==2.3.2 requests==2.31.0 jinja2==3.1.4 urllib3==2.2.2)
if [ ! -f "$dir/wheels/.complete" ]; then
  for w in "${wheels[@]}"; do   # one at a time: pip would reject two versions of one project
    python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
      --python-version 3.11 -d "$dir/wheels" "$w"
  done
  touch "$dir/wheels/.complete"
fi

packs=(lodash@4.17.4 marked@0.3.5 lodash@4.17.21 marked@4.3.0)
if [ ! -f "$dir/npm/.complete" ]; then
  (cd "$dir/npm" && npm pack --silent "${packs[@]}" >/dev/null)
  touch "$dir/npm/.complete"
fi
echo "test fixtures in $dir"
