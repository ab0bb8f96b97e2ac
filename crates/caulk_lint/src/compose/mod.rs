//! docker-compose checks: the checker compose rules read, the rule trait, and the entry point
//! that loads a compose project (with overrides, `.env`, `extends`, `include`) and lints it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use caulk_core::{Diagnostic, RuleMeta, Severity, TargetKind, TextRange};
use caulk_syntax::compose::{self, FileId, LoadErrorKind, Node, Project, Service};
use caulk_syntax::dockerfile::{self, Model};

use crate::FileFindings;
use crate::context::StageContext;
use crate::rule::HasMeta;
use crate::rules::compose::RULES;
use crate::rules::compose::syntax_error::ComposeSyntaxError;
use crate::rules::compose::unused_suppression::ComposeUnusedSuppression;
use crate::settings::LintSettings;

#[cfg(test)]
pub(crate) mod test;

/// A compose rule: reads the loaded project through the checker and reports findings.
pub trait ComposeRule: HasMeta + Sync + Send {
    fn check(&self, cx: &mut ComposeChecker<'_>);
}

/// What a service's `build:` Dockerfile says about the image, when the compose file is silent.
#[derive(Debug, Clone, Default)]
pub struct BuiltImage {
    pub dockerfile: PathBuf,
    /// The final stage's USER (`None`: no USER, so root).
    pub user: Option<String>,
    /// The final stage's HEALTHCHECK (`"NONE"` when disabled).
    pub healthcheck: Option<String>,
}

/// The shared view every compose rule reads; built once per project.
pub struct ComposeChecker<'a> {
    pub project: &'a Project,
    /// Parallel to `project.services`.
    pub built: &'a [Option<BuiltImage>],
    pub settings: &'a LintSettings,
    rule: &'static RuleMeta,
    out: &'a mut Vec<(FileId, Diagnostic)>,
}

impl<'a> ComposeChecker<'a> {
    /// Services with what their built Dockerfile says, in file order.
    pub fn services(&self) -> impl Iterator<Item = (&'a Service, Option<&'a BuiltImage>)> + use<'a> {
        let built = self.built;
        let project = self.project;
        project.services.iter().enumerate().map(move |(i, s)| (s, built.get(i).and_then(Option::as_ref)))
    }

    /// Reports a finding at `range` of file `file`.
    pub fn report_at(&mut self, file: FileId, range: TextRange, message: impl Into<String>) -> &mut Diagnostic {
        self.out.push((file, Diagnostic::new(self.rule, range, message)));
        let last = self.out.len() - 1;
        &mut self.out[last].1
    }

    /// Reports a finding on a node (a key or a value).
    pub fn report(&mut self, node: &Node, message: impl Into<String>) -> &mut Diagnostic {
        self.report_at(node.file, node.range, message)
    }

    /// Reports a finding about something a service lacks: on the service's name.
    pub fn report_service(&mut self, service: &Service, message: impl Into<String>) -> &mut Diagnostic {
        self.report(&service.key, message)
    }

    /// The text a node was written as (before interpolation).
    pub fn raw(&self, node: &Node) -> &'a str {
        self.project.file(node.file).map_or("", |f| node.range.slice(&f.text))
    }
}

/// Metadata of every compose rule, for the registry.
pub(crate) fn rule_metas() -> impl Iterator<Item = &'static RuleMeta> {
    [&ComposeSyntaxError::META, &ComposeUnusedSuppression::META].into_iter().chain(RULES.iter().map(|r| r.meta()))
}

/// Reads the final stage of the Dockerfile a `build:` entry points at.
fn built_image(service: &Service, compose_file: &Path) -> Option<(PathBuf, Option<String>, String)> {
    let build = service.get("build")?;
    let (context, dockerfile, target) = match build.as_str() {
        Some(ctx) => (ctx.to_owned(), "Dockerfile".to_owned(), None),
        None => (
            build.get("context").and_then(Node::as_str).unwrap_or(".").to_owned(),
            build.get("dockerfile").and_then(Node::as_str).unwrap_or("Dockerfile").to_owned(),
            build.get("target").and_then(Node::as_str).map(str::to_owned),
        ),
    };
    if context.contains("://") || context.starts_with("git@") {
        return None;
    }
    let dir = compose_file.parent().unwrap_or(Path::new(""));
    let path = dir.join(&context).join(&dockerfile);
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > 4 * 1024 * 1024 {
        return None;
    }
    let text = String::from_utf8_lossy(&std::fs::read(&path).ok()?).into_owned();
    Some((path, target, text))
}

fn image_facts(text: &str, target: Option<&str>, path: PathBuf) -> BuiltImage {
    let parsed = dockerfile::parse(text);
    let model = Model::new(&parsed.ast, target);
    let stages = StageContext::build(&parsed.ast, &model);
    let fin = model.final_stage.and_then(|i| stages.get(i));
    BuiltImage {
        dockerfile: path,
        user: fin.and_then(|c| c.user.as_ref()).map(|u| u.value.clone()),
        healthcheck: fin.and_then(|c| c.healthcheck.as_ref()).map(|h| h.value.clone()),
    }
}

/// Whether `path` is the override file of a default-named main file beside it, which loads it.
fn loaded_by_main_file(path: &Path) -> bool {
    if !compose::is_override_file(path) {
        return false;
    }
    let dir = path.parent().unwrap_or(Path::new(""));
    ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"].iter().any(|main| {
        let main = dir.join(main);
        main.is_file() && compose::project::override_file_for(&main, &compose::Fs).as_deref() == Some(path)
    })
}

/// Lints the compose project whose main file is `path`: with its override file (when `path`
/// has a default name), `.env`, `include`d and `extends` files, and the Dockerfiles of `build:`
/// entries. Returns one `FileFindings` per file read; nothing for an override file whose main
/// file is beside it (the main file's check covers it).
pub fn check_compose(path: &Path, settings: &LintSettings) -> Vec<FileFindings> {
    if loaded_by_main_file(path) {
        return Vec::new();
    }
    check_compose_files(&[path.to_path_buf()], settings)
}

/// Lints the project `files` make together, merged in order as `docker compose -f a -f b`
/// merges them (with one default-named file, its override file is added as Compose does).
pub fn check_compose_files(files: &[PathBuf], settings: &LintSettings) -> Vec<FileFindings> {
    let Some(path) = files.first().map(PathBuf::as_path) else { return Vec::new() };
    let env: BTreeMap<String, String> = std::env::vars().collect();
    let mut project = compose::load(files, &env, &compose::Fs);
    if let Some(profiles) = project.active_profiles(&settings.compose_profiles) {
        project.retain_profiles(&profiles);
    }
    let mut findings = Vec::new();
    let mut built = Vec::with_capacity(project.services.len());
    let mut seen: Vec<(PathBuf, Option<String>)> = Vec::new();
    for service in &project.services {
        let file = project.file(service.key.file).map_or(path, |f| f.path.as_path());
        let Some((df_path, target, text)) = built_image(service, file) else {
            built.push(None);
            continue;
        };
        built.push(Some(image_facts(&text, target.as_deref(), df_path.clone())));
        let key = (df_path.clone(), target.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let df_settings = LintSettings { target: target.or_else(|| settings.target.clone()), ..settings.clone() };
        let result = crate::check_dockerfile(&text, &df_settings);
        findings.push(FileFindings {
            path: df_path,
            text,
            kind: TargetKind::Dockerfile,
            diagnostics: result.diagnostics,
            suppressed: result.suppressed,
        });
    }
    let mut compose_findings = lint_project(&project, &built, settings);
    compose_findings.append(&mut findings);
    compose_findings
}

/// Runs every enabled compose rule on a loaded project; one `FileFindings` per compose file.
pub(crate) fn lint_project(
    project: &Project,
    built: &[Option<BuiltImage>],
    settings: &LintSettings,
) -> Vec<FileFindings> {
    let mut out: Vec<(FileId, Diagnostic)> = Vec::new();
    for e in &project.errors {
        let mut d = Diagnostic::new(&ComposeSyntaxError::META, e.range, e.message.clone());
        if e.kind == LoadErrorKind::UnsetRequired {
            // may well be set where the project is deployed
            d.severity = Severity::Low;
            d.set_help("set it in the environment or in `.env` next to the compose file");
        }
        out.push((e.file, d));
    }
    for rule in RULES {
        let meta = rule.meta();
        if !settings.is_enabled(meta) {
            continue;
        }
        let mut cx = ComposeChecker { project, built, settings, rule: meta, out: &mut out };
        rule.check(&mut cx);
    }
    let mut per_file: Vec<FileFindings> = project
        .files
        .iter()
        .map(|f| FileFindings {
            path: f.path.clone(),
            text: f.text.clone(),
            kind: TargetKind::Compose,
            diagnostics: Vec::new(),
            suppressed: 0,
        })
        .collect();
    let mut pragmas: Vec<Vec<Pragma>> = per_file.iter().map(|f| pragmas(&f.text)).collect();
    for (file, mut d) in out {
        if !settings.is_enabled(d.rule) {
            continue;
        }
        if let Some(sev) = settings.severity_override(d.rule) {
            d.severity = sev;
        }
        let (Some(ff), Some(ps)) = (per_file.get_mut(file as usize), pragmas.get_mut(file as usize)) else { continue };
        if suppress(&ff.text, ps, &d) {
            ff.suppressed += 1;
        } else {
            ff.diagnostics.push(d);
        }
    }
    if settings.is_enabled(&ComposeUnusedSuppression::META) {
        for (ff, ps) in per_file.iter_mut().zip(&pragmas) {
            // Only when a named rule ran: otherwise nobody knows whether it would match.
            for p in ps.iter().filter(|p| !p.used && p.rules.iter().any(|r| settings.is_enabled(r))) {
                let names: Vec<&str> = p.rules.iter().map(|r| r.code).collect();
                ff.diagnostics.push(
                    Diagnostic::new(
                        &ComposeUnusedSuppression::META,
                        p.range,
                        format!("suppression of {} matches no finding", names.join(", ")),
                    )
                    .with_help("remove the comment, so it cannot hide a future finding"),
                );
            }
        }
    }
    for ff in &mut per_file {
        ff.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        ff.diagnostics.dedup_by(|a, b| a.range == b.range && a.rule.code == b.rule.code && a.message == b.message);
    }
    per_file
}

/// A `# caulk ignore=CODE` comment of a compose file.
struct Pragma {
    /// The comment, from `#`.
    range: TextRange,
    /// `# caulk global ignore=…`: the whole file.
    global: bool,
    /// The byte range of the lines it covers: its own line, and the next one when the comment
    /// stands alone on its line.
    covers: std::ops::Range<usize>,
    rules: Vec<&'static RuleMeta>,
    used: bool,
}

/// Every pragma of `text`: `# caulk ignore=CODE` on the line before a finding (or at its end),
/// `# caulk global ignore=CODE` anywhere. Codes, names and aliases (compose-lint, KICS) work.
fn pragmas(text: &str) -> Vec<Pragma> {
    let mut out = Vec::new();
    if !text.contains("caulk") {
        return out;
    }
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        if let Some(hash) = line.find('#') {
            let comment = line[hash + 1..].trim();
            if let Some(rest) = comment.strip_prefix("caulk").map(str::trim_start) {
                let (global, rest) = match rest.strip_prefix("global") {
                    Some(r) => (true, r.trim_start()),
                    None => (false, rest),
                };
                if let Some(list) = rest.strip_prefix("ignore=") {
                    let list = list.split_whitespace().next().unwrap_or("");
                    let rules: Vec<&'static RuleMeta> =
                        list.split(',').filter(|s| !s.is_empty()).flat_map(crate::registry::rules_known_as).collect();
                    let alone = line[..hash].trim().is_empty();
                    let next_end = if alone { text[end..].find('\n').map_or(text.len(), |p| end + p + 1) } else { end };
                    let from = u32::try_from(start + hash).unwrap_or(u32::MAX);
                    let to = u32::try_from(start + line.trim_end().len()).unwrap_or(u32::MAX);
                    out.push(Pragma {
                        range: TextRange::new(from, to.max(from)),
                        global,
                        covers: start..next_end,
                        rules,
                        used: false,
                    });
                }
            }
        }
        start = end;
    }
    out
}

/// Whether a pragma covers `d`; marks the pragmas that do as used.
fn suppress(text: &str, pragmas: &mut [Pragma], d: &Diagnostic) -> bool {
    let at = (d.range.start as usize).min(text.len());
    let mut hit = false;
    for p in pragmas.iter_mut() {
        if (p.global || p.covers.contains(&at)) && p.rules.iter().any(|r| r.code == d.rule.code) {
            p.used = true;
            hit = true;
        }
    }
    hit
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use caulk_core::SourceFile;

    use super::test::run_rule;
    use super::*;
    use crate::selection::RuleSelector;

    fn fixture(name: &str) -> String {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("resources/test/compose").join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing fixture {}", path.display()))
    }

    fn snapshot(name: &str, text: &str, diagnostics: Vec<Diagnostic>) -> String {
        let report = caulk_report::Report {
            files: vec![caulk_report::FileReport {
                source: SourceFile::new(name.to_owned(), text.to_owned()),
                kind: TargetKind::Compose,
                diagnostics,
                suppressed: 0,
            }],
            ..caulk_report::Report::default()
        };
        caulk_report::text::render(&report, false)
    }

    /// Every compose rule fires on its fixture, stays quiet on the good one, and its rendered
    /// findings are snapshotted.
    #[test]
    fn every_compose_rule_has_a_hit_a_miss_and_a_snapshot() {
        let env = BTreeMap::new();
        for rule in RULES {
            let code = rule.meta().code;
            let bad = fixture(&format!("{code}.yml"));
            let good = fixture(&format!("{code}_ok.yml"));
            assert!(compose::parse_str(&good, &env).errors.is_empty(), "{code}_ok.yml does not load");
            let hits = run_rule(*rule, &bad);
            assert!(!hits.is_empty(), "{code} does not fire on {code}.yml");
            let misses = run_rule(*rule, &good);
            assert!(
                misses.is_empty(),
                "{code} fires on {code}_ok.yml: {:?}",
                misses.iter().map(|d| &d.message).collect::<Vec<_>>()
            );
            assert!(hits.iter().all(|d| d.fix.is_none()), "{code} declares no fix but emits one");
            insta::assert_snapshot!(code, snapshot(&format!("{code}.yml"), &bad, hits));
        }
        // DC001 comes from the loader
        let only = LintSettings { select: vec![RuleSelector::Rule("DC001")], ..LintSettings::default() };
        let bad = fixture("DC001.yml");
        let found = lint_project(&compose::parse_str(&bad, &env), &[], &only);
        let hits: Vec<Diagnostic> = found.into_iter().flat_map(|f| f.diagnostics).collect();
        assert!(!hits.is_empty());
        let good = lint_project(&compose::parse_str(&fixture("DC001_ok.yml"), &env), &[], &only);
        assert!(good.iter().all(|f| f.diagnostics.is_empty()));
        insta::assert_snapshot!("DC001", snapshot("DC001.yml", &bad, hits));
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_default();
        }
        std::fs::write(&path, text).unwrap_or_default();
        path
    }

    fn codes(f: &FileFindings) -> Vec<&'static str> {
        f.diagnostics.iter().map(|d| d.rule.code).collect()
    }

    #[test]
    fn findings_land_in_their_file_and_builds_are_followed() {
        let Ok(tmp) = tempfile::tempdir() else { return };
        let dir = tmp.path();
        let main = write(
            dir,
            "compose.yaml",
            "services:\n  api:\n    build: ./api\n  web:\n    image: nginx:${NGINX_TAG}\n    user: \"101\"\n",
        );
        write(dir, "compose.override.yaml", "services:\n  web:\n    privileged: true\n");
        write(dir, ".env", "NGINX_TAG=latest\n");
        write(dir, "api/Dockerfile", "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n");
        let out = check_compose(&main, &LintSettings::default());
        assert_eq!(out.len(), 3, "{:?}", out.iter().map(|f| &f.path).collect::<Vec<_>>());
        let (main_f, over_f, df_f) = (&out[0], &out[1], &out[2]);
        assert_eq!(main_f.kind, TargetKind::Compose);
        assert!(codes(over_f) == ["DC101"], "{:?}", codes(over_f));
        assert!(codes(main_f).contains(&"DC501"), ".env interpolation: {:?}", codes(main_f));
        // the api service runs as root and has no health check, per its Dockerfile
        let api_user = main_f.diagnostics.iter().find(|d| d.rule.code == "DC107");
        assert!(api_user.is_some_and(|d| d.message.contains("sets no USER")), "{:?}", codes(main_f));
        assert!(main_f.diagnostics.iter().any(|d| d.rule.code == "DC405" && d.message.contains("Dockerfile")));
        assert_eq!(df_f.kind, TargetKind::Dockerfile);
        assert!(df_f.path.ends_with("api/Dockerfile"));
        assert!(!df_f.diagnostics.is_empty());
        // the override file is checked through its main file only
        assert!(check_compose(&dir.join("compose.override.yaml"), &LintSettings::default()).is_empty());
    }

    #[test]
    fn unused_suppressions_are_reported_only_when_their_rule_ran() {
        let Ok(tmp) = tempfile::tempdir() else { return };
        let main = write(
            tmp.path(),
            "docker-compose.yml",
            "services:\n  web:\n    image: nginx:1.27\n    # caulk ignore=DC101\n    privileged: false\n    \
             devices: [/dev/fuse]  # caulk ignore=DC206\n",
        );
        let out = check_compose(&main, &LintSettings::default());
        let f = &out[0];
        let unused: Vec<&str> =
            f.diagnostics.iter().filter(|d| d.rule.code == "DC002").map(|d| d.range.slice(&f.text)).collect();
        assert_eq!(unused, ["# caulk ignore=DC101"], "{:?}", codes(f));
        assert!(!codes(f).contains(&"DC206"));
        let mut settings = LintSettings::default();
        settings.ignore.push(RuleSelector::parse("DC101").unwrap());
        let out = check_compose(&main, &settings);
        assert!(!codes(&out[0]).contains(&"DC002"));
    }

    #[test]
    fn suppressions_apply() {
        let Ok(tmp) = tempfile::tempdir() else { return };
        let main = write(
            tmp.path(),
            "docker-compose.yml",
            "# caulk global ignore=DC502,DC303\nservices:\n  web:\n    image: nginx:1.27\n    # caulk ignore=CL-0002\n    privileged: true\n    devices: [/dev/fuse]  # caulk ignore=DC206\n",
        );
        let out = check_compose(&main, &LintSettings::default());
        let f = &out[0];
        for code in ["DC101", "DC206", "DC502"] {
            assert!(!codes(f).contains(&code), "{code} not suppressed: {:?}", codes(f));
        }
        assert!(codes(f).contains(&"DC102"));
        assert_eq!(f.suppressed, 3);
    }

    #[test]
    fn unreadable_and_hostile_files_are_diagnostics() {
        let Ok(tmp) = tempfile::tempdir() else { return };
        let out = check_compose(&tmp.path().join("missing.yml"), &LintSettings::default());
        assert!(out.is_empty());
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='j' {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            let line = format!("{c}: &{c} [{refs}]\n");
            bomb.push_str(&line);
            prev = c;
        }
        let main = write(tmp.path(), "compose.yml", &bomb);
        let out = check_compose(&main, &LintSettings::default());
        assert_eq!(codes(&out[0]), ["DC001"]);
        assert!(out[0].diagnostics[0].message.contains("alias bomb"));
    }

    /// The seed's compose concerns are reported when absent and quiet when configured as in
    /// examples/session-multiapp.
    #[test]
    fn seed_concerns_on_session_multiapp() {
        let seed = ["DC102", "DC203", "DC205", "DC204", "DC303", "DC401", "DC402", "DC403", "DC404"];
        let example =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/session-multiapp/docker-compose.yml");
        if example.is_file() {
            let out = check_compose(&example, &LintSettings::default());
            let compose: Vec<&str> = out.iter().filter(|f| f.kind == TargetKind::Compose).flat_map(codes).collect();
            for code in seed {
                assert!(!compose.contains(&code), "{code} fires on the hardened example: {compose:?}");
            }
        }
        let Ok(tmp) = tempfile::tempdir() else { return };
        let bare = write(
            tmp.path(),
            "compose.yaml",
            "services:\n  backend:\n    image: example/api:1.4\n  frontend:\n    image: nginx:1.27\n    read_only: true\n",
        );
        let out = check_compose(&bare, &LintSettings::default());
        let found = codes(&out[0]);
        for code in ["DC102", "DC203", "DC205", "DC303", "DC401", "DC402", "DC403", "DC404"] {
            assert!(found.contains(&code), "{code} missing on a bare project: {found:?}");
        }
    }
}
