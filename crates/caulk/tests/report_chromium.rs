//! The HTML reports in a real browser: headless Chromium renders a screenshot of the insecure
//! ml-service report, its DOM holds the SVG charts, the comparison page and an image scan (with
//! its layer chart) render too, and no page logs anything to the console.
//!
//! Chromium prints console messages with `--enable-logging=stderr --v=0` as lines like
//! `[…:INFO:CONSOLE:1] "Uncaught ReferenceError: …", source: file:///…/report.html (1)` (the level
//! is INFO in Chromium 156, ERROR in older builds), so any `:CONSOLE` line naming our file fails
//! the test; a control page with a broken script proves the check sees such lines. Without
//! Chromium the tests are skipped with a note, except in CI (`CI` set), where `.ci/run` installs it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::root;

/// The Chromium binary, or `None` (with a printed note) when it is missing outside CI.
fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .chain([PathBuf::from("/usr/bin")])
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|n| dir.join(n)))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(std::env::var_os("CI").is_none(), "chromium is required in CI (.ci/run installs it)");
        #[allow(clippy::print_stderr)]
        {
            eprintln!("skipping: chromium not found (apt-get install -y --no-install-recommends chromium)");
        }
    }
    found
}

/// Runs headless Chromium on a local page with its own profile directory; no network is needed
/// or used (the page is a file and fetches nothing).
fn headless(chromium: &Path, profile: &Path, args: &[&str], page: &Path) -> Output {
    let profile_arg = format!("--user-data-dir={}", profile.display());
    let url = format!("file://{}", page.display());
    Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            &profile_arg,
        ])
        .args(args)
        .arg(&url)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", chromium.display()))
}

/// Console lines Chromium logged about this page.
fn console_lines(stderr: &[u8], page: &Path) -> Vec<String> {
    let name = page.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| (l.contains(":CONSOLE") || l.contains("Uncaught")) && l.contains(&name))
        .map(str::to_owned)
        .collect()
}

/// The insecure ml-service report written by the binary into `dir`.
fn ml_service_report(dir: &Path) -> PathBuf {
    let page = dir.join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_caulk"))
        .args(["check", "--format", "html", "-o"])
        .arg(&page)
        .arg("examples/ml-service-insecure")
        .current_dir(root())
        .env("CAULK_TODAY", "2026-11-22")
        .output()
        .unwrap_or_else(|e| panic!("cannot run caulk: {e}"));
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    page
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.get(..8)? != b"\x89PNG\r\n\x1a\n" || bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    let w = u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?);
    let h = u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?);
    Some((w, h))
}

#[test]
fn chromium_renders_the_report_without_console_errors() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let page = ml_service_report(dir.path());
    let shot = dir.path().join("report.png");
    let out = headless(
        &chromium,
        &dir.path().join("profile"),
        &[&format!("--screenshot={}", shot.display()), "--window-size=1280,2000"],
        &page,
    );
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot at {}: {e}", shot.display()));
    assert_eq!(png_size(&png), Some((1280, 2000)), "not a 1280×2000 PNG");
    // a blank page compresses to a few kB; the rendered report is text, cards and charts
    assert!(png.len() > 50_000, "screenshot suspiciously small: {} bytes", png.len());
    let console = console_lines(&out.stderr, &page);
    assert!(console.is_empty(), "console messages: {console:#?}");
}

#[test]
fn chromium_dom_holds_the_charts_and_sections() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let page = ml_service_report(dir.path());
    let out = headless(&chromium, &dir.path().join("profile"), &["--dump-dom"], &page);
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    let dom = String::from_utf8_lossy(&out.stdout);
    // the parsed DOM, not our bytes: the SVG survived parsing with its bars
    assert!(dom.contains("<svg class=\"chart\" role=\"img\" aria-label=\"Findings by severity\""), "{dom}");
    assert!(dom.matches("<rect ").count() >= 5, "bars missing: {dom}");
    for heading in ["Executive Summary", "Vulnerability Remediation Steps", "References"] {
        assert!(dom.contains(&format!("<h2>{heading}</h2>")), "{heading} missing");
    }
    assert!(!dom.contains("<script"), "a script element in the DOM");
    let console = console_lines(&out.stderr, &page);
    assert!(console.is_empty(), "console messages: {console:#?}");
}

#[test]
fn the_console_check_sees_a_broken_page() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let page = dir.path().join("broken.html");
    std::fs::write(&page, "<!DOCTYPE html><p>x</p><script>notDefinedAnywhere();</script>")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = headless(&chromium, &dir.path().join("profile"), &["--dump-dom"], &page);
    let console = console_lines(&out.stderr, &page);
    assert!(
        console.iter().any(|l| l.contains("Uncaught ReferenceError")),
        "the console check would miss errors: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Writes `caulk ARGS --format html -o dir/NAME` and returns the page.
fn caulk_page(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let page = dir.join(name);
    let out = Command::new(env!("CARGO_BIN_EXE_caulk"))
        .args(args)
        .args(["--format", "html", "-o"])
        .arg(&page)
        .current_dir(root())
        .env("CAULK_TODAY", "2026-11-22")
        .env("CAULK_CACHE_DIR", dir.join("cache"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run caulk: {e}"));
    assert!(page.is_file(), "no page written: {}", String::from_utf8_lossy(&out.stderr));
    page
}

#[test]
fn chromium_renders_the_comparison_and_an_image_scan() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let compare = caulk_page(
        dir.path(),
        "compare.html",
        &["compare", "examples/ml-service-insecure/Dockerfile", "examples/ml-service-secure/Dockerfile"],
    );
    let out = headless(&chromium, &dir.path().join("profile"), &["--dump-dom"], &compare);
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(dom.contains("<h2>Security Comparison Table</h2>"), "{dom}");
    assert!(dom.contains("aria-label=\"Findings by severity, A vs B\""), "{dom}");
    for aspect in ["Base image", "Root SSH", "User privilege", "Health check", "CMD form"] {
        assert!(dom.contains(aspect), "{aspect} row missing");
    }
    assert!(dom.contains("class=\"verdict good\""), "B is the better side: {dom}");
    assert!(console_lines(&out.stderr, &compare).is_empty());

    // an image: the layer chart exists only for images
    let Some(shared) = common::shared() else { return };
    let image = shared.join("data/images/trivy-alpine-310.docker-save.tar.gz");
    let scan = caulk_page(dir.path(), "scan.html", &["scan", "--fail-on", "never", &image.display().to_string()]);
    let out = headless(&chromium, &dir.path().join("profile"), &["--dump-dom"], &scan);
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(dom.contains("aria-label=\"Layer sizes of "), "layer chart missing: {dom}");
    assert!(dom.contains("<h2>Data Provenance</h2>"), "{dom}");
    assert!(console_lines(&out.stderr, &scan).is_empty());
}
