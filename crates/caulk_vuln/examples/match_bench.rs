//! Benchmark driver for `bench/vuln.sh`: matches 1,000 packages against an advisory store and
//! prints the median of repeated runs. The packages are real names taken from the feeds (400
//! AlmaLinux 9 rpm source packages, 300 PyPI, 200 npm, 100 Go modules), once at a version older
//! than every fix (`old`: everything matches) and once at the highest fixed version (`patched`:
//! every range is evaluated, nothing matches).
//!
//! `cargo run --release -p caulk_vuln --example match_bench -- STORE ALMALINUX.tar.gz PYPA.tar.gz NODEJS.tar.gz GO.tar.gz`
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use caulk_core::{Distro, Evidence, Package, PackageType};
use caulk_vuln::model::{Event, Range};
use caulk_vuln::version::{self, Ecosystem};
use caulk_vuln::{Store, match_packages};

/// Runs per scenario (`MATCH_BENCH_RUNS` overrides, e.g. to profile).
const RUNS: usize = 21;

/// The allocator of the caulk binary, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The highest `fixed` event per package name of `ecosystem` in a feed, in name order.
fn names(feed: &Path, ecosystem: &str, take: usize) -> Vec<(String, String)> {
    let batch = caulk_vuln::import::read_path(feed).unwrap_or_else(|e| panic!("{}: {e}", feed.display()));
    let order = Ecosystem::from_osv(ecosystem).expect("a supported ecosystem");
    let mut fixed: BTreeMap<String, String> = BTreeMap::new();
    let mut keep = |name: &str, v: &str| {
        let v = v.trim_start_matches(['>', '=', ' ', 'v']);
        if version::parse(order, v).is_err() {
            return;
        }
        let higher =
            fixed.get(name).is_none_or(|cur| version::compare(order, v, cur).is_ok_and(std::cmp::Ordering::is_gt));
        if higher {
            fixed.insert(name.to_owned(), v.to_owned());
        }
    };
    for a in &batch.advisories {
        for aff in a.affected.iter().filter(|x| x.ecosystem == ecosystem) {
            for r in &aff.ranges {
                match r {
                    Range::Ecosystem { events } | Range::Semver { events } => {
                        for e in events {
                            if let Event::Fixed(v) = e {
                                keep(&aff.name, v);
                            }
                        }
                    }
                    Range::NpmExpr { patched: Some(p), .. } => {
                        // `>=4.17.5` or `>=3.11 <4 || >=4.5`: the last lower bound is the newest fix.
                        if let Some(v) = p.split("||").last().and_then(|alt| alt.split_whitespace().next()) {
                            keep(&aff.name, v);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    fixed.into_iter().take(take).collect()
}

fn package(kind: PackageType, name: &str, version: &str, distro: Option<&Distro>) -> Package {
    let mut p =
        Package::new(kind, name, version, Evidence { path: "/bench".into(), layer: Some(0), analyzer: "bench" });
    p.distro = distro.cloned();
    p
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [store, alma, pypa, nodejs, go] = args.as_slice() else {
        eprintln!("usage: match_bench STORE ALMALINUX PYPA NODEJS GO");
        std::process::exit(2);
    };
    let store = Store::open(Path::new(store)).expect("store opens").expect("store exists");
    let distro = Distro { id: "almalinux".into(), version_id: "9.0".into() };
    let mut old = Vec::new();
    let mut patched = Vec::new();
    let sets = [
        (alma, "AlmaLinux:9", 400, PackageType::Rpm, "0:0.1-1.el9"),
        (pypa, "PyPI", 300, PackageType::Python, "0.0.1"),
        (nodejs, "npm", 200, PackageType::Npm, "0.0.1"),
        (go, "Go", 100, PackageType::Go, "v0.0.1"),
    ];
    for (feed, eco, take, kind, ancient) in sets {
        let os = (kind == PackageType::Rpm).then_some(&distro);
        let found = names(Path::new(feed), eco, take);
        for (name, fix) in &found {
            old.push(package(kind, name, ancient, os));
            let fix = if kind == PackageType::Go && !fix.starts_with('v') { format!("v{fix}") } else { fix.clone() };
            patched.push(package(kind, name, &fix, os));
        }
        eprintln!("{eco}: {} packages", found.len());
    }
    let base = [false];
    let runs = std::env::var("MATCH_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).filter(|r| *r > 0).unwrap_or(RUNS);
    for (label, packages) in [("old", &old), ("patched", &patched)] {
        let mut times = Vec::with_capacity(runs);
        let mut findings = 0;
        for _ in 0..runs {
            let start = Instant::now();
            let lookup = store.lookup().expect("lookup");
            let outcome = match_packages(packages, Some(&distro), &base, &lookup).expect("match");
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            findings = outcome.findings.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "match {label:<8} {} packages: median {:.2} ms (min {:.2}, max {:.2}) over {runs} runs, {findings} findings",
            packages.len(),
            times[runs / 2],
            times[0],
            times[runs - 1]
        );
    }
}
