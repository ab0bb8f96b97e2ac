//! Shared knowledge about health-check endpoints.

use caulk_syntax::nginx::Directive;

/// Whether `location` (a block directive) serves a health/readiness probe path.
pub(crate) fn is_health_location(location: &Directive) -> bool {
    let path = location.args.last().map_or("", |a| a.value.as_str()).to_ascii_lowercase();
    ["health", "/ping", "/ready", "/readiness", "/live", "/liveness"].iter().any(|p| path.contains(p))
}
