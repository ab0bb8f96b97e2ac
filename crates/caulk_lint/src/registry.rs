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
    let mut all: Vec<&'static RuleMeta> = META_RULES.iter().copied().chain(DOCKERFILE_RULES.iter().map(|r| r.meta())).collect();
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
