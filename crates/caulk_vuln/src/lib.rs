//! caulk's vulnerability knowledge. For now: version ordering per ecosystem, the base every
//! advisory range check stands on.

pub mod version;
