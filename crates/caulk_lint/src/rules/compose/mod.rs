//! docker-compose rules, one file per rule named by its slug.

use crate::compose::ComposeRule;

pub(crate) mod capabilities_not_dropped;
pub(crate) mod cpu_limit;
pub(crate) mod dangerous_capability;
pub(crate) mod default_network;
pub(crate) mod docker_socket;
pub(crate) mod healthcheck_missing;
pub(crate) mod host_device;
pub(crate) mod host_namespace;
pub(crate) mod image_not_digest_pinned;
pub(crate) mod image_unpinned;
pub(crate) mod logging_disabled;
pub(crate) mod memory_limit;
pub(crate) mod no_new_privileges;
pub(crate) mod pids_limit;
pub(crate) mod privileged;
pub(crate) mod privileged_host_port;
pub(crate) mod read_only;
pub(crate) mod read_only_without_tmpfs;
pub(crate) mod restart_policy;
pub(crate) mod root_user;
pub(crate) mod secret_in_environment;
pub(crate) mod security_profile_disabled;
pub(crate) mod sensitive_mount;
pub(crate) mod sensitive_port_exposed;
pub(crate) mod syntax_error;
pub(crate) mod tmpfs_exec;
pub(crate) mod unused_suppression;
mod util;

/// Every compose rule, run in this order.
pub(crate) static RULES: &[&dyn ComposeRule] = &[
    &privileged::Privileged,
    &no_new_privileges::NoNewPrivileges,
    &dangerous_capability::DangerousCapability,
    &capabilities_not_dropped::CapabilitiesNotDropped,
    &security_profile_disabled::SecurityProfileDisabled,
    &host_namespace::HostNamespace,
    &root_user::RootUser,
    &docker_socket::DockerSocket,
    &sensitive_mount::SensitiveMount,
    &read_only::ReadOnly,
    &tmpfs_exec::TmpfsExec,
    &read_only_without_tmpfs::ReadOnlyWithoutTmpfs,
    &host_device::HostDevice,
    &sensitive_port_exposed::SensitivePortExposed,
    &privileged_host_port::PrivilegedHostPort,
    &default_network::DefaultNetwork,
    &memory_limit::MemoryLimit,
    &cpu_limit::CpuLimit,
    &pids_limit::PidsLimit,
    &restart_policy::RestartPolicy,
    &healthcheck_missing::HealthcheckMissing,
    &image_unpinned::ImageUnpinned,
    &image_not_digest_pinned::ImageNotDigestPinned,
    &secret_in_environment::SecretInEnvironment,
    &logging_disabled::LoggingDisabled,
];
