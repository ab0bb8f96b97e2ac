//! Differential test of the rpm ordering against rpm itself (`rpm.ver` comparisons in rpm's
//! embedded Lua, one `rpm --eval` process for all pairs), over the AlmaLinux feed's EVRs and
//! generated ones with `~`, `^`, epochs and mixed alpha/numeric segments.
#![allow(clippy::print_stderr)] // the test reports its counts and skip reasons

mod common;

use std::process::Command;

use caulk_vuln::version::Ecosystem;
use common::{Rng, json_strings, pairs_from, reference_available, shared_data, tar_gz_cat};

const LUA: &str = r#"%{lua:
local out = {}
for line in io.lines("PAIRS") do
  local a, b = line:match("^(%S+) (%S+)$")
  local ok, r = pcall(function()
    local va, vb = rpm.ver(a), rpm.ver(b)
    if va < vb then return "<" elseif va == vb then return "=" else return ">" end
  end)
  out[#out + 1] = ok and r or "E"
end
print(table.concat(out, "\n"))
}"#;

fn segment(rng: &mut Rng) -> String {
    rng.pick(&["0", "1", "2", "10", "01", "999", "a", "b", "rc", "git", "el", "fc", "Z"][..]).to_owned()
}

/// A random EVR: optional epoch, version and release built from segments and separators.
fn generated(rng: &mut Rng) -> String {
    let mut s = String::new();
    if rng.chance(15) {
        s.push_str(&rng.below(3).to_string());
        s.push(':');
    }
    s.push_str(&rng.below(10).to_string());
    for _ in 0..rng.below(4) {
        s.push_str(rng.pick(&[".", ".", "_", "+", "~", "^", ""][..]));
        s.push_str(&segment(rng));
    }
    if rng.chance(80) {
        s.push('-');
        s.push_str(&rng.below(30).to_string());
        for _ in 0..rng.below(3) {
            s.push_str(rng.pick(&[".", ".el9", ".el9_0", "_", "~", "^", ".module+el8.1.0+"][..]));
            s.push_str(&segment(rng));
        }
    }
    s
}

fn mutate(v: &str, rng: &mut Rng) -> String {
    let tail: &str = rng.pick(&["", "~1", "^1", ".0", "a", ".1", "_1", "~rc1", "^git1", "0"][..]);
    let s = v.replacen('1', rng.pick(&["1", "2", "01"][..]), 1);
    if s.ends_with('-') || s.ends_with(':') { generated(rng) } else { format!("{s}{tail}") }
}

#[test]
fn rpm_differential() {
    let rpm_ok = Command::new("rpm").arg("--version").output().is_ok_and(|o| o.status.success());
    if !reference_available("rpm", rpm_ok) {
        return;
    }
    let Some(data) = shared_data() else { return };
    let text = tar_gz_cat(&data.join("vuln/almalinux-osv/almalinux-osv.tar.gz"), "*.json");
    let mut groups = Vec::new();
    for record in text.split("\n{") {
        let g: Vec<String> = ["introduced", "fixed", "versions"]
            .iter()
            .flat_map(|k| json_strings(record, k))
            .filter(|v| v != "0")
            .collect();
        groups.push(g);
    }
    let real_versions: usize = groups.iter().map(Vec::len).sum();
    let mut rng = Rng::new(0x0e1_5eed);
    let mut pairs = pairs_from(&groups, 4000, &mut rng);
    let real_pairs = pairs.len();
    for _ in 0..4000 {
        let a = generated(&mut rng);
        let b = if rng.chance(70) { mutate(&a, &mut rng) } else { generated(&mut rng) };
        pairs.push((a, b));
    }
    let file = std::env::temp_dir().join(format!("caulk-rpm-pairs-{}.txt", std::process::id()));
    let input: String = pairs.iter().flat_map(|(a, b)| [a.as_str(), " ", b.as_str(), "\n"]).collect();
    std::fs::write(&file, input).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let start = std::time::Instant::now();
    let lua = LUA.replace("PAIRS", &file.display().to_string());
    let out = Command::new("rpm").arg("--eval").arg(&lua).output().unwrap_or_else(|e| panic!("rpm: {e}"));
    let _ = std::fs::remove_file(&file);
    assert!(out.status.success(), "rpm failed: {}", String::from_utf8_lossy(&out.stderr));
    let reference: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect();
    assert_eq!(reference.len(), pairs.len(), "rpm gave a different number of answers");

    let (mismatches, rejected) = common::disagreements(Ecosystem::Rpm, &pairs, &reference, "rpm");
    eprintln!(
        "rpm differential: {} pairs ({real_pairs} real from {real_versions} versions, {} generated), {} mismatches, {rejected} rejected by both, rpm took {:?}",
        pairs.len(),
        pairs.len() - real_pairs,
        mismatches.len(),
        start.elapsed()
    );
    assert!(mismatches.is_empty(), "{} mismatches with rpm:\n{}", mismatches.len(), mismatches.join("\n"));
}
