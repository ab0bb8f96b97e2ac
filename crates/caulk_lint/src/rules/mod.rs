//! Every rule, one file each, grouped by the kind of target they inspect.

pub(crate) mod compose;
pub(crate) mod dockerfile;
pub(crate) mod image;
pub(crate) mod meta;
pub(crate) mod nginx;
pub(crate) mod vuln;
