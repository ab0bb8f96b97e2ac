//! Every rule, one file each, grouped by the kind of target they inspect.

pub(crate) mod dockerfile;
pub(crate) mod meta;
