//! Differential test of the PEP 440 ordering against Python's `packaging`, over real PyPI versions
//! (the PyPA advisory database's OSV `versions[]` and range events) and generated ones.
#![allow(clippy::print_stderr)] // the test reports its counts and skip reasons

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use caulk_vuln::version::Ecosystem;
use common::{Rng, json_pairs, json_strings, pairs_from, reference_available, shared_data, tar_gz_cat};

const SCRIPT: &str = r#"
import json, sys
from packaging.version import Version, InvalidVersion
def parse(s):
    try:
        return Version(s)
    except InvalidVersion:
        return None
out = []
for a, b in json.load(sys.stdin):
    va, vb = parse(a), parse(b)
    if va is None or vb is None:
        out.append("E")
    else:
        out.append("<" if va < vb else ">" if va > vb else "=")
print("\n".join(out))
"#;

/// A random PEP 440 version, spelled in the normalised or one of the tolerated forms.
fn generated(rng: &mut Rng) -> String {
    let mut s = String::new();
    if rng.chance(10) {
        s.push_str(&rng.below(3).to_string());
        s.push('!');
    }
    if rng.chance(5) {
        s.insert(0, 'v');
    }
    let parts = 1 + rng.below(4);
    let nums: Vec<String> =
        (0..parts).map(|_| rng.pick(&["0", "1", "2", "10", "00", "01", "2024"][..]).to_owned()).collect();
    s.push_str(&nums.join("."));
    if rng.chance(40) {
        let pre = rng.pick(&["a", "b", "rc", "c", "alpha", "beta", "pre", "preview", ".a", "-rc", "_b", "RC"][..]);
        s.push_str(pre);
        if rng.chance(80) {
            s.push_str(&rng.below(12).to_string());
        }
    }
    if rng.chance(25) {
        s.push_str(rng.pick(&[".post", "post", "-post", ".rev", "-r", ".post0", "-"][..]));
        s.push_str(&rng.below(4).to_string());
    }
    if rng.chance(25) {
        s.push_str(rng.pick(&[".dev", "dev", "-dev", ".dev0"][..]));
        if rng.chance(70) {
            s.push_str(&rng.below(4).to_string());
        }
    }
    if rng.chance(15) {
        s.push('+');
        s.push_str(rng.pick(&["local", "ubuntu.1", "1", "abc.5", "1.a", "a.1", "0"][..]));
    }
    s
}

fn mutate(v: &str, rng: &mut Rng) -> String {
    let tail = rng.pick(&["", ".0", "a1", "rc1", ".post1", ".dev0", "+1", "+local", "b2", ".1", "0"][..]);
    let mut s = v.replacen('1', rng.pick(&["1", "2", "0"][..]), 1);
    if !s.contains('+') || !tail.starts_with('+') {
        s.push_str(tail);
    }
    s
}

#[test]
fn pep440_differential() {
    let python_ok = Command::new("python3")
        .args(["-c", "import packaging.version"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !reference_available("python3 with `packaging`", python_ok) {
        return;
    }
    let Some(data) = shared_data() else { return };
    let text = tar_gz_cat(&data.join("vuln/pypa-advisory-db/pypa-osv.tar.gz"), "*.json");
    // Roughly one group per advisory: the concatenated files split where a new object starts.
    let mut groups: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (i, record) in text.split("\n{").enumerate() {
        let g = groups.entry(i).or_default();
        for key in ["versions", "introduced", "fixed", "last_affected"] {
            g.extend(json_strings(record, key).into_iter().filter(|v| v != "0"));
        }
    }
    let real_versions: usize = groups.values().map(Vec::len).sum();
    assert!(real_versions > 5000, "expected thousands of real PyPI versions, got {real_versions}");

    let mut rng = Rng::new(0x0440_5eed);
    let groups: Vec<Vec<String>> = groups.into_values().collect();
    let mut pairs = pairs_from(&groups, 6000, &mut rng);
    let real_pairs = pairs.len();
    for _ in 0..4000 {
        let a = generated(&mut rng);
        let b = if rng.chance(70) { mutate(&a, &mut rng) } else { generated(&mut rng) };
        pairs.push((a, b));
    }

    let start = std::time::Instant::now();
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("python3: {e}"));
    let input = json_pairs(&pairs);
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("python3: {e}"));
    writer.join().unwrap_or_else(|_| panic!("writer panicked")).unwrap_or_else(|e| panic!("write: {e}"));
    assert!(out.status.success(), "python3 failed");
    let reference: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect();
    assert_eq!(reference.len(), pairs.len(), "python gave a different number of answers");

    let (mismatches, rejected) = common::disagreements(Ecosystem::PyPI, &pairs, &reference, "packaging");
    eprintln!(
        "PEP 440 differential: {} pairs ({real_pairs} real from {real_versions} versions, {} generated), {} mismatches, {rejected} rejected by both, python took {:?}",
        pairs.len(),
        pairs.len() - real_pairs,
        mismatches.len(),
        start.elapsed()
    );
    assert!(mismatches.is_empty(), "{} mismatches with packaging:\n{}", mismatches.len(), mismatches.join("\n"));
}
