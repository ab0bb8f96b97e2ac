//! The one list of rules. Adding a rule touches its file and one line here.

use caulk_core::RuleMeta;

use crate::rule::DockerfileRule;
use crate::rules::dockerfile as df;
use crate::rules::meta;

/// Findings the framework itself produces (parse errors, suppression problems).
pub(crate) static META_RULES: &[&RuleMeta] = &[
    &meta::SyntaxError::META,
    &meta::InvalidSuppression::META,
    &meta::UnusedSuppression::META,
    &meta::ShellParseNote::META,
];

/// Every Dockerfile rule, run in this order.
pub(crate) static DOCKERFILE_RULES: &[&dyn DockerfileRule] = &[
    &df::apt_get_unpinned::AptGetUnpinned,
    &df::eol_base_image::EolBaseImage,
    &df::eol_runtime::EolRuntime,
    &df::base_image_untagged::BaseImageUntagged,
    &df::base_image_latest::BaseImageLatest,
    &df::untrusted_registry::UntrustedRegistry,
    &df::no_user::NoUser,
    &df::root_user::RootUser,
    &df::sudo::Sudo,
    &df::ssh_server::SshServer,
    &df::sshd_permit_root_login::SshdPermitRootLogin,
    &df::sshd_password_authentication::SshdPasswordAuthentication,
    &df::expose_remote_shell_port::ExposeRemoteShellPort,
    &df::apk_unpinned::ApkUnpinned,
    &df::rpm_unpinned::RpmUnpinned,
    &df::zypper_unpinned::ZypperUnpinned,
    &df::pip_unpinned::PipUnpinned,
    &df::npm_unpinned::NpmUnpinned,
    &df::gem_unpinned::GemUnpinned,
    &df::go_install_unpinned::GoInstallUnpinned,
    &df::install_without_yes::InstallWithoutYes,
    &df::apt_install_recommends::AptInstallRecommends,
    &df::apt_lists_not_removed::AptListsNotRemoved,
    &df::apk_cache_kept::ApkCacheKept,
    &df::rpm_cache_kept::RpmCacheKept,
    &df::pip_cache_kept::PipCacheKept,
    &df::package_upgrade::PackageUpgrade,
    &df::unauthenticated_packages::UnauthenticatedPackages,
    &df::zypper_cache_kept::ZypperCacheKept,
    &df::update_without_install::UpdateWithoutInstall,
    &df::no_healthcheck::NoHealthcheck,
    &df::shell_form_command::ShellFormCommand,
    &df::exec_form_shell_wrapper::ExecFormShellWrapper,
    &df::multiple_cmd::MultipleCmd,
    &df::multiple_entrypoint::MultipleEntrypoint,
    &df::multiple_healthcheck::MultipleHealthcheck,
    &df::unnecessary_tools::UnnecessaryTools,
    &df::toolchain_in_final_image::ToolchainInFinalImage,
    &df::package_manager_in_final_image::PackageManagerInFinalImage,
    &df::python_env_defaults::PythonEnvDefaults,
    &df::pipe_to_shell::PipeToShell,
    &df::add_url_without_checksum::AddUrlWithoutChecksum,
    &df::add_instead_of_copy::AddInsteadOfCopy,
    &df::secret_in_env::SecretInEnv,
    &df::tls_verification_disabled::TlsVerificationDisabled,
    &df::world_writable::WorldWritable,
    &df::relative_workdir::RelativeWorkdir,
    &df::cd_instead_of_workdir::CdInsteadOfWorkdir,
    &df::copy_relative_destination::CopyRelativeDestination,
    &df::maintainer_deprecated::MaintainerDeprecated,
    &df::copy_without_chown::CopyWithoutChown,
    &df::copy_from_unknown_stage::CopyFromUnknownStage,
    &df::copy_from_own_stage::CopyFromOwnStage,
    &df::duplicate_stage_name::DuplicateStageName,
    &df::invalid_port::InvalidPort,
    &df::copy_destination_not_directory::CopyDestinationNotDirectory,
    &df::apt_instead_of_apt_get::AptInsteadOfAptGet,
];

/// Every rule, sorted by code.
pub fn all_rules() -> impl Iterator<Item = &'static RuleMeta> {
    let mut all: Vec<&'static RuleMeta> = META_RULES
        .iter()
        .copied()
        .chain(DOCKERFILE_RULES.iter().map(|r| r.meta()))
        .chain(crate::compose::rule_metas())
        .chain(crate::nginx::rule_metas())
        .chain(crate::image::rule_metas())
        .chain(crate::vuln::rule_metas())
        .collect();
    all.sort_by_key(|r| r.code);
    all.into_iter()
}

/// A rule by code or name, else by alias (`DL3008`).
pub fn find_rule(id: &str) -> Option<&'static RuleMeta> {
    let id = id.trim();
    all_rules()
        .find(|r| r.code.eq_ignore_ascii_case(id) || r.name.eq_ignore_ascii_case(id))
        .or_else(|| all_rules().find(|r| r.aliases.iter().any(|a| a.eq_ignore_ascii_case(id))))
}

/// Every rule a code, name or alias refers to (an alias may cover several caulk rules).
pub fn rules_known_as(id: &str) -> Vec<&'static RuleMeta> {
    all_rules().filter(|r| r.is_known_as(id.trim())).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    use caulk_core::{FixAvailability, SourceFile, TargetKind};

    use super::*;
    use crate::settings::LintSettings;
    use crate::test::run_rule;

    fn fixture(name: &str) -> Option<String> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("resources/test/dockerfile").join(name);
        std::fs::read_to_string(path).ok()
    }

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = BTreeSet::new();
        let mut names = BTreeSet::new();
        for r in all_rules() {
            assert!(codes.insert(r.code), "duplicate code {}", r.code);
            assert!(names.insert(r.name), "duplicate name {}", r.name);
            let (prefix, digits) = r.code.split_at(2);
            assert!(["DF", "DC", "NX", "IM", "VU"].contains(&prefix), "{}", r.code);
            assert!(digits.len() == 3 && digits.chars().all(|c| c.is_ascii_digit()), "{}", r.code);
            assert!(r.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{}", r.name);
            assert!(!r.summary.is_empty());
        }
    }

    #[test]
    fn docs_have_the_required_sections() {
        for r in all_rules() {
            let docs = crate::rule::docs(r);
            for section in ["## What it does", "## Why is this bad?", "## Example", "## References"] {
                assert!(docs.contains(section), "{} docs lack `{section}`", r.code);
            }
            assert!(!docs.contains("TODO"), "{} docs are unfinished", r.code);
        }
    }

    #[test]
    fn aliases_resolve_to_their_rule() {
        for r in all_rules() {
            for a in r.aliases {
                assert!(rules_known_as(a).iter().any(|x| x.code == r.code), "{a}");
            }
            assert_eq!(find_rule(r.code).map(|x| x.code), Some(r.code));
            assert_eq!(find_rule(r.name).map(|x| x.code), Some(r.code));
        }
        assert_eq!(find_rule("dl3008").map(|r| r.code), Some("DF301"));
    }

    /// Every rule fires on its fixture, stays quiet on the good one, declares its fixes honestly,
    /// and its fixes converge and re-parse; the rendered findings are snapshotted.
    #[test]
    fn every_rule_has_a_hit_a_miss_and_a_snapshot() {
        // the fixtures of configurable rules (DF105) document the configuration they assume
        let settings = LintSettings {
            trusted_registries: vec!["registry.example.com".to_owned(), "*.gcr.io".to_owned()],
            ..LintSettings::default()
        };
        for rule in DOCKERFILE_RULES {
            let meta = rule.meta();
            let code = meta.code;
            let bad =
                fixture(&format!("{code}.Dockerfile")).unwrap_or_else(|| panic!("missing fixture {code}.Dockerfile"));
            let good = fixture(&format!("{code}_ok.Dockerfile"))
                .unwrap_or_else(|| panic!("missing fixture {code}_ok.Dockerfile"));
            let hits = run_rule(*rule, &bad, &settings);
            assert!(!hits.is_empty(), "{code} does not fire on {code}.Dockerfile");
            let misses = run_rule(*rule, &good, &settings);
            assert!(
                misses.is_empty(),
                "{code} fires on {code}_ok.Dockerfile: {:?}",
                misses.iter().map(|d| &d.message).collect::<Vec<_>>()
            );
            match meta.fix {
                FixAvailability::None => {
                    assert!(hits.iter().all(|d| d.fix.is_none()), "{code} declares no fix but emits one");
                }
                FixAvailability::Always => assert!(
                    hits.iter().all(|d| d.fix.is_some()),
                    "{code} declares fixes always but one finding has none"
                ),
                FixAvailability::Sometimes => {
                    assert!(hits.iter().any(|d| d.fix.is_some()), "{code} declares fixes but its fixture shows none");
                }
            }
            if meta.fix != FixAvailability::None {
                let only = LintSettings { select: vec![crate::RuleSelector::Rule(code)], ..settings.clone() };
                let fixed = crate::fixer::fix_dockerfile(&bad, &only, true);
                assert!(fixed.converged, "{code} fixes do not converge");
                let again = crate::fixer::fix_dockerfile(&fixed.text, &only, true);
                assert_eq!(again.text, fixed.text, "{code} fixes are not idempotent");
                let before = caulk_syntax::dockerfile::parse(&bad).errors.len();
                let after = caulk_syntax::dockerfile::parse(&fixed.text).errors.len();
                assert!(after <= before, "{code} fix introduced syntax errors:\n{}", fixed.text);
            }
            let report = caulk_report::Report {
                files: vec![caulk_report::FileReport {
                    source: SourceFile::new(format!("{code}.Dockerfile"), bad.clone()),
                    kind: TargetKind::Dockerfile,
                    diagnostics: hits,
                    suppressed: 0,
                }],
                ..caulk_report::Report::default()
            };
            insta::assert_snapshot!(code, caulk_report::text::render(&report, false));
        }
    }
}
