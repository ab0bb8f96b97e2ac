//! Shared vocabulary for every caulk crate: no I/O, no formats, only the types the others exchange.

pub mod diagnostic;
pub mod package;
pub mod rule;
pub mod severity;
pub mod source;
pub mod text;
pub mod url;
pub mod vulnerability;

pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, ImageLocation};
pub use package::{Distro, Evidence, Package, PackageType};
pub use rule::{FixAvailability, RuleMeta, TargetKind};
pub use severity::Severity;
pub use source::{LineCol, LineIndex, SourceFile};
pub use text::TextRange;
pub use vulnerability::{AffectedPackage, VulnFinding};
