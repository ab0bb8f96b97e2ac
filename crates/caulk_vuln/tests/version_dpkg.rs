//! Differential test of the dpkg ordering against `dpkg --compare-versions`, over real versions
//! (the Debian images' dpkg status files and the security tracker's DSA/DLA lists) and generated ones.
#![allow(clippy::print_stderr)] // the test reports its counts and skip reasons

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use caulk_vuln::version::Ecosystem;
use common::{Rng, pairs_from, reference_available, shared_data};

/// Versions grouped by package from a dpkg status file (`Version:` and `Source: x (version)`).
fn status_versions(status: &str, groups: &mut BTreeMap<String, Vec<String>>) {
    let mut package = String::new();
    for line in status.lines() {
        if let Some(p) = line.strip_prefix("Package: ") {
            p.trim().clone_into(&mut package);
        } else if let Some(v) = line.strip_prefix("Version: ") {
            groups.entry(package.clone()).or_default().push(v.trim().to_owned());
        } else if let Some((name, rest)) = line.strip_prefix("Source: ").and_then(|s| s.split_once(" (")) {
            groups.entry(name.to_owned()).or_default().push(rest.trim_end_matches(')').to_owned());
        }
    }
}

fn image_status(archive: &Path) -> String {
    // A docker-archive whose layer holds var/lib/dpkg/status: find the layer tarball, then read it.
    let list = Command::new("tar").arg("-tzf").arg(archive).output().unwrap_or_else(|e| panic!("tar: {e}"));
    let names = String::from_utf8_lossy(&list.stdout).into_owned();
    let mut status = String::new();
    for layer in names.lines().filter(|n| n.ends_with(".tar")) {
        let script = "tar -xzOf \"$1\" \"$2\" | tar -xOf - var/lib/dpkg/status 2>/dev/null || true";
        let out = Command::new("sh")
            .args(["-c", script, "sh"])
            .arg(archive)
            .arg(layer)
            .output()
            .unwrap_or_else(|e| panic!("sh: {e}"));
        status.push_str(&String::from_utf8_lossy(&out.stdout));
    }
    status
}

/// `[release] - package version` lines of the DSA/DLA lists.
fn tracker_versions(list_gz: &Path, groups: &mut BTreeMap<String, Vec<String>>) {
    let out = Command::new("gzip").arg("-dc").arg(list_gz).output().unwrap_or_else(|e| panic!("gzip: {e}"));
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if let [release, "-", package, version, ..] = fields[..]
            && release.starts_with('[')
            && !version.starts_with('<')
        {
            groups.entry(package.to_owned()).or_default().push(version.to_owned());
        }
    }
}

/// A random dpkg version: optional epoch, upstream from digits/letters/`.+~`, optional revision.
fn generated(rng: &mut Rng) -> String {
    const UP: &[&str] =
        &["0", "1", "2", "9", "10", "01", "a", "b", "Z", ".", ".", "+", "~", "~~", "rc", "+dfsg", "~rc1"];
    const REV: &[&str] = &["0", "1", "2", "10", "a", ".", "+", "~", "deb12u1", "ubuntu1", "+b1", "~bpo"];
    let mut s = String::new();
    if rng.chance(20) {
        s.push_str(&rng.below(3).to_string());
        s.push(':');
    }
    s.push_str(&rng.below(12).to_string());
    for _ in 0..rng.below(5) {
        s.push_str(rng.pick(UP));
    }
    if rng.chance(60) {
        s.push('-');
        s.push_str(rng.pick(&["0", "1", "2", "10"][..]));
        for _ in 0..rng.below(3) {
            s.push_str(rng.pick(REV));
        }
    }
    s
}

/// A close neighbour of `v`, so that comparisons are decided deep inside the strings.
fn mutate(v: &str, rng: &mut Rng) -> String {
    let tail: &str = rng.pick(&["", "~", "~1", "+", "+1", ".0", "0", "a", "-1", "~rc1", ".1"]);
    let mut s = v.to_owned();
    match rng.below(4) {
        0 if !s.is_empty() => {
            let cut = rng.below(s.len());
            if s.is_char_boundary(cut) {
                s.truncate(cut);
            }
        }
        1 => {
            s = s.replacen('1', "2", 1);
        }
        _ => {}
    }
    // Only one revision separator: drop any new hyphen when one already exists.
    if s.contains('-') && tail.contains('-') {
        s.push_str(&tail.replace('-', "."));
    } else {
        s.push_str(tail);
    }
    if s.is_empty() || s.ends_with(['-', ':']) {
        return generated(rng);
    }
    s
}

/// Runs dpkg over `pairs` in two parallel shells; returns one of `<`, `=`, `>`, `E` per pair.
fn dpkg_compare(pairs: &[(String, String)]) -> Vec<char> {
    let script = r#"while read -r a b; do
  dpkg --compare-versions "$a" lt "$b" 2>/dev/null; r=$?
  if [ $r -eq 0 ]; then echo '<'; continue; fi
  if [ $r -ne 1 ]; then echo E; continue; fi
  if dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo '='; else echo '>'; fi
done"#;
    let half = pairs.len().div_ceil(2);
    let children: Vec<_> = pairs
        .chunks(half.max(1))
        .map(|chunk| {
            let mut child = Command::new("sh")
                .args(["-c", script])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("sh: {e}"));
            let input: String = chunk.iter().flat_map(|(a, b)| [a.as_str(), " ", b.as_str(), "\n"]).collect();
            let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
            let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
            (child, writer)
        })
        .collect();
    let mut results = Vec::new();
    for (child, writer) in children {
        let out = child.wait_with_output().unwrap_or_else(|e| panic!("sh: {e}"));
        writer.join().unwrap_or_else(|_| panic!("writer panicked")).unwrap_or_else(|e| panic!("write: {e}"));
        results.extend(String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| l.chars().next()));
    }
    results
}

#[test]
fn dpkg_differential() {
    let dpkg_ok = Command::new("dpkg").arg("--version").output().is_ok_and(|o| o.status.success());
    if !reference_available("dpkg", dpkg_ok) {
        return;
    }
    let Some(data) = shared_data() else { return };
    let mut groups = BTreeMap::new();
    for image in ["debian-11-bullseye-pkgdb", "debian-12-bookworm-pkgdb"] {
        let archive = data.join(format!("images/debian-pkgdb/{image}.docker-archive.tar.gz"));
        status_versions(&image_status(&archive), &mut groups);
    }
    let from_images: usize = groups.values().map(Vec::len).sum();
    for list in ["DSA-list.gz", "DLA-list.gz"] {
        tracker_versions(&data.join("vuln/debian-security-tracker").join(list), &mut groups);
    }
    let real_versions: usize = groups.values().map(Vec::len).sum();
    assert!(from_images > 100, "expected dpkg status versions from the images, got {from_images}");
    assert!(real_versions > 1000, "expected thousands of real versions, got {real_versions}");

    let mut rng = Rng::new(0x5eed_d9c6);
    let groups: Vec<Vec<String>> = groups.into_values().collect();
    let mut pairs = pairs_from(&groups, 3000, &mut rng);
    let real_pairs = pairs.len();
    for _ in 0..2500 {
        let a = generated(&mut rng);
        let b = if rng.chance(70) { mutate(&a, &mut rng) } else { generated(&mut rng) };
        pairs.push((a, b));
    }

    let start = std::time::Instant::now();
    let reference: Vec<String> = dpkg_compare(&pairs).iter().map(char::to_string).collect();
    assert_eq!(reference.len(), pairs.len(), "dpkg gave fewer answers than pairs");
    let (mismatches, rejected) = common::disagreements(Ecosystem::Debian, &pairs, &reference, "dpkg");
    eprintln!(
        "dpkg differential: {} pairs ({real_pairs} real from {real_versions} versions, {} generated), {} mismatches, {rejected} rejected by both, dpkg took {:?}",
        pairs.len(),
        pairs.len() - real_pairs,
        mismatches.len(),
        start.elapsed()
    );
    assert!(mismatches.is_empty(), "{} mismatches with dpkg:\n{}", mismatches.len(), mismatches.join("\n"));
}
