//! nginx rules, one file per rule named by its slug.

pub(crate) mod add_header_content_type;
pub(crate) mod add_header_multiline;
pub(crate) mod add_header_redefinition;
pub(crate) mod alias_traversal;
pub(crate) mod allow_without_deny;
pub(crate) mod autoindex;
pub(crate) mod client_limits;
pub(crate) mod cors_origin_reflection;
pub(crate) mod cors_wildcard_credentials;
pub(crate) mod default_server_flag;
pub(crate) mod error_log_off;
pub(crate) mod gzip_breach;
pub(crate) mod gzip_disabled;
pub(crate) mod header_without_always;
pub(crate) mod headers;
pub(crate) mod health;
pub(crate) mod health_endpoint_logged;
pub(crate) mod host_spoofing;
pub(crate) mod http2_misdirected_request;
pub(crate) mod http_splitting;
pub(crate) mod if_is_evil;
pub(crate) mod invalid_capture_reference;
pub(crate) mod low_keepalive_requests;
pub(crate) mod map_without_default;
pub(crate) mod meta;
pub(crate) mod missing_resolver;
pub(crate) mod missing_security_headers;
pub(crate) mod missing_worker_processes;
pub(crate) mod mixed_case_variable;
pub(crate) mod no_health_endpoint;
pub(crate) mod no_rate_limiting;
pub(crate) mod origin_regex;
pub(crate) mod overlapping_captures;
pub(crate) mod proxy_buffering_off;
pub(crate) mod proxy_pass_normalized;
pub(crate) mod proxy_set_header_redefinition;
pub(crate) mod quic_bpf_reuseport;
pub(crate) mod regex_exact_match;
pub(crate) mod regex_redos;
pub(crate) mod resolver_external;
pub(crate) mod return_bypasses_allow_deny;
pub(crate) mod root_filesystem;
pub(crate) mod server_tokens;
pub(crate) mod ssl_ecdh_curve;
pub(crate) mod ssl_stapling_letsencrypt;
pub(crate) mod ssl_stapling_without_resolver;
pub(crate) mod ssrf;
pub(crate) mod stale_dns_cache;
pub(crate) mod status_page_exposed;
pub(crate) mod try_files_without_cache;
pub(crate) mod unanchored_regex;
pub(crate) mod unnamed_groups;
pub(crate) mod unused_limit_zone;
pub(crate) mod valid_referers_none;
pub(crate) mod vars;
pub(crate) mod weak_ssl_ciphers;
pub(crate) mod weak_tls_protocols;
pub(crate) mod worker_rlimit_nofile;

use crate::nginx::NginxRule;

/// Every nginx rule, run in this order.
pub(crate) static RULES: &[&dyn NginxRule] = &[
    &server_tokens::ServerTokens,
    &missing_security_headers::MissingSecurityHeaders,
    &add_header_redefinition::AddHeaderRedefinition,
    &header_without_always::HeaderWithoutAlways,
    &add_header_multiline::AddHeaderMultiline,
    &add_header_content_type::AddHeaderContentType,
    &no_rate_limiting::NoRateLimiting,
    &unused_limit_zone::UnusedLimitZone,
    &gzip_disabled::GzipDisabled,
    &gzip_breach::GzipBreach,
    &status_page_exposed::StatusPageExposed,
    &no_health_endpoint::NoHealthEndpoint,
    &health_endpoint_logged::HealthEndpointLogged,
    &cors_wildcard_credentials::CorsWildcardCredentials,
    &cors_origin_reflection::CorsOriginReflection,
    &origin_regex::OriginRegex,
    &ssrf::Ssrf,
    &http_splitting::HttpSplitting,
    &host_spoofing::HostSpoofing,
    &alias_traversal::AliasTraversal,
    &root_filesystem::RootFilesystem,
    &allow_without_deny::AllowWithoutDeny,
    &valid_referers_none::ValidReferersNone,
    &return_bypasses_allow_deny::ReturnBypassesAllowDeny,
    &resolver_external::ResolverExternal,
    &weak_tls_protocols::WeakTlsProtocols,
    &weak_ssl_ciphers::WeakSslCiphers,
    &autoindex::Autoindex,
    &client_limits::ClientLimits,
    &regex_redos::RegexRedos,
    &error_log_off::ErrorLogOff,
    &map_without_default::MapWithoutDefault,
    &low_keepalive_requests::LowKeepaliveRequests,
    &worker_rlimit_nofile::WorkerRlimitNofile,
    &unanchored_regex::UnanchoredRegex,
    &invalid_capture_reference::InvalidCaptureReference,
    &if_is_evil::IfIsEvil,
    &default_server_flag::DefaultServerFlag,
    &try_files_without_cache::TryFilesWithoutCache,
    &ssl_stapling_without_resolver::SslStaplingWithoutResolver,
    &ssl_stapling_letsencrypt::SslStaplingLetsencrypt,
    &ssl_ecdh_curve::SslEcdhCurve,
    &http2_misdirected_request::Http2MisdirectedRequest,
    &quic_bpf_reuseport::QuicBpfReuseport,
    &missing_worker_processes::MissingWorkerProcesses,
    &proxy_pass_normalized::ProxyPassNormalized,
    &proxy_set_header_redefinition::ProxySetHeaderRedefinition,
    &proxy_buffering_off::ProxyBufferingOff,
    &stale_dns_cache::StaleDnsCache,
    &missing_resolver::MissingResolver,
    &mixed_case_variable::MixedCaseVariable,
    &overlapping_captures::OverlappingCaptures,
    &unnamed_groups::UnnamedGroups,
    &regex_exact_match::RegexExactMatch,
];
