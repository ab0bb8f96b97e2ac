//! End-to-end tests of `--format markdown` and `--format html` through the built binary: the
//! insecure ml-service example, a hostile Dockerfile, and stored images with real advisory data.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{root, shared};

fn caulk_in(cache: &Path, cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caulk"))
        .args(args)
        .current_dir(cwd)
        .env("CAULK_TODAY", "2026-11-22")
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .env("CAULK_CACHE_DIR", cache)
        .output()
        .unwrap_or_else(|e| panic!("cannot run caulk: {e}"))
}

/// Runs caulk from the workspace root with an empty advisory cache.
fn caulk(args: &[&str]) -> Output {
    caulk_in(&root().join("target/caulk-test-empty-cache"), &root(), args)
}

fn stdout(out: &Output) -> String {
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap_or_else(|e| panic!("not UTF-8: {e}"))
}

fn position(doc: &str, needle: &str) -> usize {
    doc.find(needle).unwrap_or_else(|| panic!("{needle:?} missing from:\n{doc}"))
}

/// Asserts the needles occur in this order.
fn in_order(doc: &str, needles: &[&str]) {
    let mut at = 0;
    for n in needles {
        at += position(&doc[at..], n);
    }
}

/// The body of the first fenced block with this info string after `from`.
fn fenced<'a>(doc: &'a str, from: usize, info: &str) -> &'a str {
    let open = format!("```{info}\n");
    let start = from + position(&doc[from..], &open) + open.len();
    let end = start + position(&doc[start..], "\n```");
    &doc[start..end]
}

/// Every tag of an HTML page, as written.
fn tags(doc: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = doc;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else { break };
        out.push(&rest[start..=start + len]);
        rest = &rest[start + len + 1..];
    }
    out
}

/// Nothing on the page makes a browser fetch anything: no script, no `src`, no stylesheet link,
/// no `url()`/`@import`; `://` only in `<a href>` links a reader may click.
fn assert_self_contained(doc: &str) {
    for tag in tags(doc) {
        let lower = tag.to_ascii_lowercase();
        for bad in ["<script", "<link", "<iframe", "<img", "<object", "<embed", "<base", " src=", "xmlns", "@import"] {
            assert!(!lower.contains(bad), "{bad} in {tag}");
        }
        if tag.contains("://") {
            assert!(tag.starts_with("<a href=\"http"), "external URL outside a link: {tag}");
        }
    }
    let style = &doc[position(doc, "<style>")..position(doc, "</style>")];
    assert!(!style.contains("url(") && !style.contains("://"), "external resource in CSS");
}

#[test]
fn markdown_of_the_insecure_ml_service_reads_like_the_seed() {
    let out = caulk(&["check", "--format", "markdown", "examples/ml-service-insecure"]);
    assert_eq!(out.status.code(), Some(1), "critical findings fail the run as with any format");
    let doc = stdout(&out);
    in_order(
        &doc,
        &[
            "# Security Analysis: `examples/ml-service-insecure/Dockerfile`",
            "## Executive Summary",
            "caulk analysed 1 Dockerfile",
            "| Severity | Findings |",
            "**Top risks**: `PermitRootLogin yes`",
            "**Verdict**: ❌ **Not fit for production**",
            "## Dockerfile: `examples/ml-service-insecure/Dockerfile`",
            "### Critical Issues (1)",
            "### High Issues (",
            "### Medium Issues (",
            "## Vulnerability Remediation Steps",
            "1. **Immediate (Critical)**:",
            "2. **High Priority**:",
            "3. **Medium Priority**:",
            "### Specific Changes: `examples/ml-service-insecure/Dockerfile`",
            "## References",
        ],
    );
    // the critical finding: the offending line as evidence, why, fix
    let critical = position(&doc, "### Critical Issues (1)");
    assert!(doc[critical..].starts_with(
        "### Critical Issues (1)\n\n#### 1. **`PermitRootLogin yes` lets root log in to the container over SSH** 🔴 CRITICAL"
    ));
    assert_eq!(fenced(&doc, critical, "dockerfile"), "RUN echo \"PermitRootLogin yes\" >> /etc/ssh/sshd_config");
    let entry = &doc[critical..position(&doc, "### High Issues")];
    assert!(entry.contains("- **Why it matters**: "), "{entry}");
    assert!(entry.contains("- **Fix**: drop the SSH server"), "{entry}");
    // unpinned packages are one entry with every culprit, and one remediation step
    assert!(doc.contains("- `python3-pip` is installed without a version pin\n- `curl` is installed without"));
    let steps = &doc[position(&doc, "## Vulnerability Remediation Steps")..position(&doc, "### Specific Changes")];
    assert_eq!(steps.matches("(`DF301`").count(), 1, "{steps}");
    assert!(steps.lines().filter(|l| l.starts_with("   - [ ] ")).count() >= 5, "{steps}");
    // severities in the summary add up to the total
    let total_line = doc.lines().find(|l| l.starts_with("| **Total** |")).unwrap_or_default();
    let total: usize = total_line.trim_matches(|c: char| !c.is_ascii_digit()).parse().unwrap_or(0);
    let sum: usize = doc
        .lines()
        .skip_while(|l| !l.starts_with("| Severity | Findings |"))
        .skip(2)
        .take(5)
        .filter_map(|l| l.rsplit('|').nth(1).and_then(|n| n.trim().parse::<usize>().ok()))
        .sum();
    assert!(total >= 20 && total == sum, "{total_line}: {sum}");
}

#[test]
fn markdown_shows_the_fix_as_a_diff_and_the_whole_fixed_file() {
    let doc = stdout(&caulk(&["check", "--format", "markdown", "examples/ml-service-insecure"]));
    let at = position(&doc, "### Specific Changes");
    assert!(doc[at..].contains("`caulk fix --unsafe-fixes` applies "), "{}", &doc[at..]);
    let diff = fenced(&doc, at, "diff");
    let removed: Vec<&str> = diff.lines().filter(|l| l.starts_with('-')).collect();
    let added: Vec<&str> = diff.lines().filter(|l| l.starts_with('+')).collect();
    assert!(!removed.is_empty() && !added.is_empty(), "{diff}");
    // the shell-wrapped CMD (a safe fix) goes, whatever else the unsafe fixes change
    assert!(removed.contains(&"-CMD [\"sh\", \"-c\", \"python3 app.py\"]"), "{diff}");
    assert!(!added.iter().any(|l| l.contains("PermitRootLogin yes")), "{diff}");
    let after = fenced(&doc, position(&doc, "<summary>The whole Dockerfile after the fixes</summary>"), "dockerfile");
    let before = std::fs::read_to_string(root().join("examples/ml-service-insecure/Dockerfile")).unwrap_or_default();
    assert_ne!(after, before.trim_end());
    assert!(after.contains("FROM ubuntu:18.04") && after.contains("COPY app.py ."), "{after}");
    // what the diff adds is in the fixed file, what it removes is not
    for l in &added {
        assert!(after.lines().any(|a| a == &l[1..]), "{l} not in {after}");
    }
    // a clean file gets no before/after
    let secure = stdout(&caulk(&["check", "--format", "markdown", "--fail-on", "never", "examples/ml-service-secure"]));
    assert!(!secure.contains("```diff"), "{secure}");
}

#[test]
fn html_of_the_insecure_ml_service_is_self_contained_and_charted() {
    let doc = stdout(&caulk(&["check", "--format", "html", "examples/ml-service-insecure"]));
    assert!(doc.starts_with("<!DOCTYPE html>"), "{doc}");
    assert_self_contained(&doc);
    assert!(doc.contains("<svg class=\"chart\" role=\"img\" aria-label=\"Findings by severity\""));
    in_order(
        &doc,
        &[
            "<h2>Executive Summary</h2>",
            "<h2>Dockerfile: <code>examples/ml-service-insecure/Dockerfile</code></h2>",
            "Critical Issues (1)</h3>",
            "<dt>Why it matters</dt>",
            "<h2>Vulnerability Remediation Steps</h2>",
            "<input type=\"checkbox\">",
            "<pre class=\"diff\">",
            "<h2>References</h2>",
        ],
    );
    // the offending line, numbered and highlighted
    assert!(doc.contains(
        "<span class=\"hit\"><span class=\"ln\">12</span>RUN echo &quot;PermitRootLogin yes&quot; &gt;&gt; /etc/ssh/sshd_config</span>"
    ));
}

#[test]
fn markup_in_a_dockerfile_and_its_path_ends_up_escaped() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let project = dir.path().join("<img src=x onerror=alert(1)>");
    std::fs::create_dir(&project).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        project.join("Dockerfile"),
        "FROM ubuntu:22.04\n# <script>alert('comment')</script>\nRUN echo \"<script>alert('run')</script>\" > /srv/index.html && apt-get install -y curl\nUSER root\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let cache = dir.path().join("cache");
    let html = stdout(&caulk_in(&cache, dir.path(), &["check", "--format", "html", "--fail-on", "never", "."]));
    assert_self_contained(&html);
    assert!(!html.contains("<script>alert"), "a script tag survived");
    assert!(!html.contains("<img src=x"), "a tag from the path survived");
    assert!(html.contains("&lt;script&gt;alert(&#39;run&#39;)&lt;/script&gt;"), "the RUN line is shown, escaped");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;/Dockerfile"), "the path is shown, escaped");
    let md = stdout(&caulk_in(&cache, dir.path(), &["check", "--format", "markdown", "--fail-on", "never", "."]));
    // in Markdown the path is code and the line sits in a fenced block: both shown verbatim
    assert!(md.contains("## Dockerfile: `<img src=x onerror=alert(1)>/Dockerfile`"), "{md}");
    assert!(md.contains("```dockerfile\nRUN echo \"<script>alert('run')</script>\" > /srv/index.html"), "{md}");
}

#[test]
fn reports_are_deterministic() {
    for format in ["markdown", "html"] {
        let a = caulk(&["check", "--format", format, "examples"]);
        let b = caulk(&["check", "--format", format, "examples"]);
        assert_eq!(stdout(&a), stdout(&b), "{format}");
    }
}

fn image(shared: &Path, name: &str) -> String {
    shared.join("data/images").join(name).display().to_string()
}

#[test]
fn scan_without_advisory_data_says_matching_was_skipped() {
    let Some(shared) = shared() else { return };
    let alpine = image(&shared, "trivy-alpine-310.docker-save.tar.gz");
    let doc = stdout(&caulk(&["scan", "--format", "markdown", &alpine]));
    in_order(
        &doc,
        &[
            "## Executive Summary",
            "## Image: `",
            "### Base Details",
            "- **OS**: Alpine Linux v3.10",
            "- **Tier**: `alpine`",
            "- **Packages**: 14 (14 apk)",
            "#### Layers",
            "| 0 | ",
            "### High Issues",
            "- **Where**: `/etc/os-release`, layer 0",
            "### Known Vulnerabilities",
            "> **Vulnerability matching was skipped**",
            "## Data Provenance",
            "No advisory data was used",
        ],
    );
}

/// The AlmaLinux 9.0-beta root filesystem, only what the scan reads.
fn alma9_rootfs(shared: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let src = shared.join("data/images/almalinux-rootfs/almalinux-9.0-beta-micro-aarch64-20220507.rootfs.tar.xz");
    let status = Command::new("tar")
        .arg("-xJf")
        .arg(&src)
        .arg("-C")
        .arg(dir.path())
        .args(["var/lib/rpm", "etc/os-release", "usr/lib/os-release"])
        .status()
        .unwrap_or_else(|e| panic!("tar: {e}"));
    assert!(status.success(), "tar -xJf {}", src.display());
    dir
}

#[test]
fn scan_reports_image_facts_vulnerabilities_and_provenance() {
    let Some(shared) = shared() else { return };
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let feed = shared.join("data/vuln/almalinux-osv/almalinux-osv.tar.gz").display().to_string();
    let imported = caulk_in(cache.path(), &root(), &["db", "import", &feed]);
    assert_eq!(imported.status.code(), Some(0), "{}", String::from_utf8_lossy(&imported.stderr));
    let rootfs = alma9_rootfs(&shared);
    let alma = format!("dir:{}", rootfs.path().display());
    let alpine = image(&shared, "trivy-alpine-310.docker-save.tar.gz");
    let args = ["scan", "--format", "markdown", &alpine, &alma];
    let doc = stdout(&caulk_in(cache.path(), &root(), &args));
    assert!(doc.contains("caulk analysed 2 container images"), "{doc}");
    assert!(doc.contains("| Severity | Findings | Vulnerabilities |"), "{doc}");
    let alma_at = position(&doc, &format!("## Image: `{alma}`"));
    let section = &doc[alma_at..];
    in_order(
        section,
        &[
            "- **OS**: AlmaLinux 9.0 Beta",
            "### Known Vulnerabilities",
            "packages checked against the advisory data",
            "| Severity | Vulnerabilities |",
            "#### Top Vulnerabilities",
            "| Severity | ID | Package | Installed | Fixed in | Summary |",
            "| high | [ALSA-",
            "## Vulnerability Remediation Steps",
        ],
    );
    // the table lists the most severe first
    let rows: Vec<&str> =
        section.lines().filter(|l| l.starts_with("| high |") || l.starts_with("| medium |")).collect();
    let first_medium = rows.iter().position(|r| r.starts_with("| medium |")).unwrap_or(rows.len());
    assert!(rows[first_medium..].iter().all(|r| !r.starts_with("| high |")), "{rows:#?}");
    // one upgrade step per package, to the highest fixed version (2.34-270 is above 2.34-60)
    let steps = &doc[position(&doc, "## Vulnerability Remediation Steps")..];
    assert_eq!(steps.matches("Upgrade `glibc` from").count(), 1, "{steps}");
    assert!(steps.contains("Upgrade `glibc` from `2.34-28.el9_0` to `2.34-"), "{steps}");
    assert!(!steps.contains("to `2.34-60.el9_2.7` or later"), "a lower fix chosen by string order: {steps}");
    // where the advisories came from
    let provenance = &doc[position(&doc, "## Data Provenance")..];
    assert!(provenance.contains("almalinux-osv.tar.gz` | 5637 |"), "{provenance}");

    let html = stdout(&caulk_in(cache.path(), &root(), &["scan", "--format", "html", &alpine, &alma]));
    assert_self_contained(&html);
    for chart in [
        "aria-label=\"Findings by severity\"",
        "aria-label=\"Vulnerabilities by severity per image\"",
        "aria-label=\"Layer sizes of ",
        &format!("aria-label=\"Vulnerabilities by severity in {alma}\""),
    ] {
        assert!(html.contains(chart), "{chart}");
    }
    assert!(
        html.contains("<h2>Data Provenance</h2>")
            && html.contains("almalinux-osv.tar.gz</code></td><td class=\"num\">5637</td>")
    );
    assert_eq!(html, stdout(&caulk_in(cache.path(), &root(), &["scan", "--format", "html", &alpine, &alma])));
}
