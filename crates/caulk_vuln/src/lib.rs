//! caulk's vulnerability knowledge: version ordering per ecosystem, the advisory model, the
//! SQLite advisory store with its importers (OSV, Alpine secdb, Node.js security WG) and the
//! download of osv.dev's exports, and the matcher that turns an image's packages into findings.

pub mod ecosystem;
pub mod ignore;
pub mod import;
pub mod matcher;
pub mod model;
pub mod severity;
pub mod store;
pub mod update;
pub mod version;

pub use ecosystem::{PackageKey, os_ecosystems, package_key};
pub use ignore::{Applied, IgnoreEntry, IgnoreFile, IgnoreProblem};
pub use matcher::{MatchOutcome, Unparsable, match_packages};
pub use model::{Advisory, Affected, Event, Range, Rating};
pub use store::{AdvisorySource, Candidate, ImportReport, Malformed, Status, Store, StoreError};
pub use store::{Lookup, Provenance};
pub use update::{EcosystemReport, NoProgress, UpdateError, UpdateOptions, UpdateProgress, UpdateReport};
