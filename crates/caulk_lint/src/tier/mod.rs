//! `caulk fix --tier`: rewrites a Dockerfile into one of three hardening tiers — hardened (slim or
//! Alpine base), distroless, or scratch — from what the Dockerfile and its build context say the
//! program is. The rewrite keeps the program and its arguments, ports, working directory, plain
//! environment and the application's COPY instructions; everything else is rebuilt.

mod build;
mod detect;
mod distroless;
mod dotnet;
mod hardened;
mod out;
mod scratch;
mod versions;

use std::fmt;
use std::path::Path;

/// The tier to rewrite into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Slim (Debian) or Alpine base, non-root user, health check, pinned and cleaned installs.
    Hardened,
    /// Multi-stage build whose runtime stage is a distroless image, numeric non-root user.
    Distroless,
    /// A static binary alone on `scratch`.
    Scratch,
}

impl Tier {
    /// The tier's name, as the command line and file suffixes spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Hardened => "hardened",
            Self::Distroless => "distroless",
            Self::Scratch => "scratch",
        }
    }
}

/// A rewritten Dockerfile and what the user should know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierRewrite {
    /// The new Dockerfile.
    pub text: String,
    /// What changed and what the user must check, one sentence each, in a stable order.
    pub notes: Vec<String>,
}

/// Why a Dockerfile cannot be rewritten into the tier asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotPossible {
    pub reason: String,
}

impl NotPossible {
    pub(crate) fn new(reason: impl Into<String>) -> Self {
        Self { reason: reason.into() }
    }
}

impl fmt::Display for NotPossible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for NotPossible {}

/// Rewrites `dockerfile` (whose build context is `context`) into `tier`. `today` (`YYYY-MM-DD`)
/// decides which runtime and OS releases still get security fixes.
pub fn rewrite(dockerfile: &str, context: &Path, tier: Tier, today: &str) -> Result<TierRewrite, NotPossible> {
    let app = detect::detect(dockerfile, context)?;
    let mut rewrite = match tier {
        Tier::Hardened => hardened::rewrite(&app, today)?,
        Tier::Distroless => distroless::rewrite(&app, today)?,
        Tier::Scratch => scratch::rewrite(&app, today)?,
    };
    let mut notes = app.notes.clone();
    notes.append(&mut rewrite.notes);
    rewrite.notes = notes;
    Ok(rewrite)
}

#[cfg(test)]
mod tests;
