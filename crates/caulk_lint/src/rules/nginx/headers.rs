//! Shared knowledge about HTTP security headers for the header rules.

/// Response headers that protect browsers; losing one of them is a security regression.
pub(crate) const SECURITY_HEADERS: &[&str] = &[
    "strict-transport-security",
    "content-security-policy",
    "content-security-policy-report-only",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
    "permissions-policy",
    "x-xss-protection",
    "cross-origin-opener-policy",
    "cross-origin-embedder-policy",
    "cross-origin-resource-policy",
];

/// Whether `name` is one of [`SECURITY_HEADERS`].
pub(crate) fn is_security_header(name: &str) -> bool {
    SECURITY_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name))
}
