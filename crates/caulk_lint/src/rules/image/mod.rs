//! Container image rules, one file per rule named by its slug: archive problems (IM0xx), the
//! runtime configuration and build history (IM1xx), the filesystem (IM2xx), tier and size (IM3xx).

use caulk_core::Diagnostic;
use caulk_image::{ImageIssue, IssueKind};

use crate::image::{ImageChecker, ImageRule};

pub(crate) mod analyzer_failure;
pub(crate) mod archive_corrupt;
pub(crate) mod archive_device_file;
pub(crate) mod archive_duplicate_entry;
pub(crate) mod archive_limit_exceeded;
pub(crate) mod archive_link_escape;
pub(crate) mod archive_path_escape;
pub(crate) mod credential_file;
pub(crate) mod duplicate_account_id;
pub(crate) mod empty_password;
pub(crate) mod eol_os;
pub(crate) mod eol_runtime;
pub(crate) mod exposed_remote_shell_port;
pub(crate) mod extra_root_account;
pub(crate) mod junk_files;
pub(crate) mod no_healthcheck;
pub(crate) mod package_manager_present;
pub(crate) mod root_user;
pub(crate) mod secret_in_env;
pub(crate) mod secret_in_history;
pub(crate) mod setuid_file;
pub(crate) mod shell_command;
pub(crate) mod shell_present;
pub(crate) mod ssh_server;
pub(crate) mod sshd_permit_root_login;
pub(crate) mod tier;
pub(crate) mod unnecessary_tools;
pub(crate) mod volume_system_path;
pub(crate) mod wasted_space;
pub(crate) mod world_writable;

/// Every image rule, run in this order.
pub(crate) static RULES: &[&dyn ImageRule] = &[
    &archive_path_escape::ArchivePathEscape,
    &archive_link_escape::ArchiveLinkEscape,
    &archive_device_file::ArchiveDeviceFile,
    &archive_duplicate_entry::ArchiveDuplicateEntry,
    &archive_limit_exceeded::ArchiveLimitExceeded,
    &archive_corrupt::ArchiveCorrupt,
    &analyzer_failure::AnalyzerFailure,
    &root_user::RootUser,
    &no_healthcheck::NoHealthcheck,
    &shell_command::ShellCommand,
    &exposed_remote_shell_port::ExposedRemoteShellPort,
    &secret_in_env::SecretInEnv,
    &secret_in_history::SecretInHistory,
    &volume_system_path::VolumeSystemPath,
    &eol_os::EolOs,
    &eol_runtime::EolRuntime,
    &ssh_server::SshServer,
    &sshd_permit_root_login::SshdPermitRootLogin,
    &setuid_file::SetuidFile,
    &world_writable::WorldWritable,
    &package_manager_present::PackageManagerPresent,
    &shell_present::ShellPresent,
    &credential_file::CredentialFile,
    &empty_password::EmptyPassword,
    &extra_root_account::ExtraRootAccount,
    &duplicate_account_id::DuplicateAccountId,
    &junk_files::JunkFiles,
    &unnecessary_tools::UnnecessaryTools,
    &tier::Tier,
    &wasted_space::WastedSpace,
];

/// Findings per archive-issue rule before the rest are summed up in one.
const MAX_ISSUES: usize = 20;

/// Reports the image's issues of `kind`, one finding each (at most [`MAX_ISSUES`], then one
/// that counts the rest); `adjust` may change a finding, e.g. its severity.
pub(crate) fn report_issues(
    cx: &mut ImageChecker<'_>,
    kind: IssueKind,
    help: &str,
    adjust: impl Fn(&ImageIssue, &mut Diagnostic),
) {
    let issues: Vec<ImageIssue> = cx.image.issues.iter().filter(|i| i.kind == kind).cloned().collect();
    for issue in issues.iter().take(MAX_ISSUES) {
        let shown = issue.path.as_deref().map(|p| p.escape_debug().to_string());
        let message = match &shown {
            Some(p) => format!("`{p}`: {}", issue.message),
            None => issue.message.clone(),
        };
        let d = cx.report_layer(issue.layer, shown.as_deref(), message);
        d.set_help(help);
        adjust(issue, d);
    }
    if issues.len() > MAX_ISSUES {
        let rest = issues.len() - MAX_ISSUES;
        cx.report_layer(None, None, format!("{rest} more entries like these were found")).set_help(help);
    }
}

#[cfg(test)]
mod tests {
    use super::RULES;
    use crate::image::rule_metas;

    #[test]
    fn image_rules_are_image_targets_in_the_registry() {
        for r in RULES {
            let m = r.meta();
            assert_eq!(m.target, caulk_core::TargetKind::Image, "{}", m.code);
            assert!(m.code.starts_with("IM"), "{}", m.code);
            assert!(m.name.starts_with("image-") || m.name.starts_with("archive-"), "{}", m.name);
            assert!(crate::registry::all_rules().any(|x| x.code == m.code));
        }
        assert_eq!(rule_metas().count(), RULES.len());
    }
}
