//! Differential test of npm ordering and range matching against node-semver itself (the copy
//! bundled with npm, one `node` process for everything): version pairs, and every range of the
//! nodejs-security-wg advisories tested against versions around its own bounds.
#![allow(clippy::print_stderr)] // the test reports its counts and skip reasons

mod common;

use std::cmp::Ordering;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use caulk_vuln::version::{Ecosystem, NpmRange, compare, parse};
use common::{Rng, json_pairs, json_strings, reference_available, shared_data, tar_gz_cat};

const SCRIPT: &str = r"
const semver = require(process.argv[1]);
let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  const { pairs, checks } = JSON.parse(input);
  const out = [];
  for (const [a, b] of pairs) {
    out.push(semver.valid(a) === null || semver.valid(b) === null ? 'E' : ['<', '=', '>'][semver.compare(a, b) + 1]);
  }
  for (const [v, r] of checks) {
    let res;
    try {
      const range = new semver.Range(r);
      res = semver.valid(v) === null ? 'E' : (range.test(v) ? 'T' : 'F');
    } catch (e) {
      res = 'E';
    }
    out.push(res);
  }
  console.log(out.join('\n'));
});
";

/// node-semver as npm bundles it.
fn node_semver() -> Option<PathBuf> {
    let out = Command::new("npm").args(["root", "-g"]).output().ok()?;
    let root = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    ["npm/node_modules/semver", "semver"].iter().map(|p| root.join(p)).find(|p| p.join("package.json").is_file())
}

/// `x.y.z[-pre]` versions named inside a range.
fn versions_in(range: &str) -> Vec<String> {
    range
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .filter(|t| t.split('-').next().is_some_and(|core| core.split('.').count() == 3))
        .filter(|t| t.starts_with(|c: char| c.is_ascii_digit()))
        .map(str::to_owned)
        .collect()
}

fn neighbours(v: &str) -> Vec<String> {
    let core = v.split('-').next().unwrap_or(v);
    let nums: Vec<u64> = core.split('.').filter_map(|n| n.parse().ok()).collect();
    let mut out = vec![v.to_owned()];
    if let [ma, mi, pa] = nums[..] {
        out.push(format!("{ma}.{mi}.{}", pa + 1));
        out.push(format!("{ma}.{}.0", mi + 1));
        out.push(format!("{}.0.0", ma + 1));
        out.push(format!("{ma}.{mi}.{pa}-beta.1"));
        if pa > 0 {
            out.push(format!("{ma}.{mi}.{}", pa - 1));
        }
    }
    out
}

/// Pre-release and build tails for generated versions (plain versions weighted up).
const PRE: &[&str] = &["", "", "", "-alpha", "-alpha.1", "-beta.2", "-rc.1", "-0", "-1.a", "-x-y", "+build"];

#[test]
fn npm_differential() {
    let node_ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let semver = node_semver();
    if !reference_available("node with npm's node-semver", node_ok && semver.is_some()) {
        return;
    }
    let Some(data) = shared_data() else { return };
    let text = tar_gz_cat(&data.join("vuln/nodejs-security-wg/nodejs-security-wg-vuln.tar.gz"), "*.json");
    let ranges: Vec<String> = ["vulnerable_versions", "patched_versions", "vulnerable", "patched"]
        .iter()
        .flat_map(|k| json_strings(&text, k))
        .collect();
    let mut real: Vec<String> = ranges.iter().flat_map(|r| versions_in(r)).collect();
    real.sort();
    real.dedup();

    let mut rng = Rng::new(0x0de_5eed);
    let mut pairs = Vec::new();
    for w in real.windows(2) {
        pairs.push((w[0].clone(), w[1].clone()));
    }
    for _ in 0..3000 {
        let v = |rng: &mut Rng| format!("{}.{}.{}{}", rng.below(3), rng.below(3), rng.below(3), rng.pick(PRE));
        pairs.push((v(&mut rng), v(&mut rng)));
    }
    let mut checks = Vec::new();
    for r in &ranges {
        let mut candidates: Vec<String> = versions_in(r).iter().flat_map(|v| neighbours(v)).collect();
        candidates.push(real[rng.below(real.len())].clone());
        candidates.push("0.0.1".to_owned());
        for v in candidates {
            checks.push((v, r.trim().to_owned()));
        }
    }

    let start = std::time::Instant::now();
    let mut child = Command::new("node")
        .args(["-e", SCRIPT])
        .arg(semver.unwrap_or_default())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("node: {e}"));
    let input = format!("{{\"pairs\":{},\"checks\":{}}}", json_pairs(&pairs), json_pairs(&checks));
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("node: {e}"));
    writer.join().unwrap_or_else(|_| panic!("writer panicked")).unwrap_or_else(|e| panic!("write: {e}"));
    assert!(out.status.success(), "node failed");
    let reference: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect();
    assert_eq!(reference.len(), pairs.len() + checks.len(), "node gave a different number of answers");
    let (ref_pairs, ref_checks) = reference.split_at(pairs.len());

    let mut order_mismatches = Vec::new();
    for ((a, b), want) in pairs.iter().zip(ref_pairs) {
        let got = match compare(Ecosystem::Npm, a, b) {
            Ok(Ordering::Less) => "<",
            Ok(Ordering::Equal) => "=",
            Ok(Ordering::Greater) => ">",
            Err(_) => "E",
        };
        if got != want {
            order_mismatches.push(format!("{a} vs {b}: node-semver {want}, caulk {got}"));
        }
    }
    let mut range_mismatches = Vec::new();
    for ((v, r), want) in checks.iter().zip(ref_checks) {
        let got = match (parse(Ecosystem::Npm, v), NpmRange::parse(r)) {
            (Ok(version), Ok(range)) => {
                if range.contains(&version) == Some(true) {
                    "T"
                } else {
                    "F"
                }
            }
            _ => "E",
        };
        if got != want {
            range_mismatches.push(format!("{v} in `{r}`: node-semver {want}, caulk {got}"));
        }
    }
    eprintln!(
        "npm differential: {} version pairs, {} mismatches; {} range checks over {} ranges, {} mismatches; node took {:?}",
        pairs.len(),
        order_mismatches.len(),
        checks.len(),
        ranges.len(),
        range_mismatches.len(),
        start.elapsed()
    );
    for m in &range_mismatches {
        eprintln!("  {m}");
    }
    assert!(order_mismatches.is_empty(), "ordering mismatches with node-semver:\n{}", order_mismatches.join("\n"));
    assert!(range_mismatches.is_empty(), "range mismatches with node-semver");
}
