//! Differential test of the Maven ordering against Maven's own `ComparableVersion` (its `main`
//! compares consecutive arguments; one `java` process for all versions), over generated versions
//! and the versions of the Maven artifacts installed on the machine.
#![allow(clippy::print_stderr)] // the test reports its counts and skip reasons

mod common;

use std::cmp::Ordering;
use std::path::{Path, PathBuf};
use std::process::Command;

use caulk_vuln::version::{Ecosystem, compare};
use common::{Rng, reference_available};

/// The maven-artifact jar that holds `ComparableVersion`, from the usual install locations.
fn artifact_jar() -> Option<PathBuf> {
    let dirs = ["/usr/share/maven/lib", "/usr/share/java", "/opt/maven/lib"];
    dirs.iter().filter_map(|d| std::fs::read_dir(d).ok()).flatten().flatten().map(|e| e.path()).find(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("maven-artifact") || n.starts_with("maven3-artifact"))
    })
}

fn generated(rng: &mut Rng) -> String {
    const ITEMS: &[&str] = &[
        "0",
        "1",
        "2",
        "10",
        "01",
        "123",
        "alpha",
        "a",
        "beta",
        "b",
        "milestone",
        "m",
        "rc",
        "cr",
        "snapshot",
        "SNAPSHOT",
        "ga",
        "final",
        "Final",
        "release",
        "RELEASE",
        "sp",
        "foo",
        "abc",
        "pom",
        "x",
        "_",
        "RC",
    ];
    let mut s = rng.below(12).to_string();
    for _ in 0..rng.below(6) {
        s.push_str(rng.pick(&[".", ".", "-", "-", ""][..]));
        s.push_str(rng.pick(ITEMS));
    }
    s
}

/// Version directories of the Maven repository Debian installs (`/usr/share/maven-repo`).
fn installed_versions() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "pom")
                && let Some(v) = path.parent().and_then(Path::file_name).and_then(|n| n.to_str())
            {
                out.push(v.to_owned());
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new("/usr/share/maven-repo"), &mut out);
    out.sort();
    out.dedup();
    out
}

#[test]
fn maven_differential() {
    let java_ok = Command::new("java").arg("-version").output().is_ok_and(|o| o.status.success());
    let jar = artifact_jar();
    if !reference_available("java with maven-artifact (ComparableVersion)", java_ok && jar.is_some()) {
        return;
    }
    let jar = jar.unwrap_or_default();
    let mut rng = Rng::new(0x3a7e_5eed);
    let installed = installed_versions();
    let mut args: Vec<String> = Vec::new();
    for _ in 0..3000 {
        let a = generated(&mut rng);
        // Neighbours: a mutation of the previous version, so comparisons are decided late.
        let b = if rng.chance(60) {
            format!("{a}{}", rng.pick(&["", ".0", "-1", "a", "-sp", "0", "-ga"][..]))
        } else {
            generated(&mut rng)
        };
        args.push(a);
        args.push(b);
    }
    for v in &installed {
        args.push(v.clone());
        args.push(generated(&mut rng));
    }
    let start = std::time::Instant::now();
    let out = Command::new("java")
        .arg("-cp")
        .arg(&jar)
        .arg("org.apache.maven.artifact.versioning.ComparableVersion")
        .args(&args)
        .output()
        .unwrap_or_else(|e| panic!("java: {e}"));
    assert!(out.status.success(), "java failed: {}", String::from_utf8_lossy(&out.stderr));
    // Lines `   A op B` give the comparison of consecutive arguments.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let reference: Vec<(&str, &str, &str)> = stdout
        .lines()
        .filter(|l| l.starts_with("   "))
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            match f[..] {
                [a, op, b] => Some((a, op, b)),
                _ => None,
            }
        })
        .collect();
    assert_eq!(reference.len(), args.len() - 1, "unexpected ComparableVersion output");
    let mut mismatches = Vec::new();
    for (i, &(a, op, b)) in reference.iter().enumerate() {
        assert_eq!((a, b), (args[i].as_str(), args[i + 1].as_str()), "output out of step");
        let got = match compare(Ecosystem::Maven, a, b) {
            Ok(Ordering::Less) => "<",
            Ok(Ordering::Equal) => "==",
            Ok(Ordering::Greater) => ">",
            Err(e) => panic!("{e}"),
        };
        if got != op {
            mismatches.push(format!("{a} vs {b}: Maven {op}, caulk {got}"));
        }
    }
    eprintln!(
        "Maven differential: {} pairs ({} installed artifact versions among them), {} mismatches, java took {:?}",
        reference.len(),
        installed.len(),
        mismatches.len(),
        start.elapsed()
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches with ComparableVersion:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
