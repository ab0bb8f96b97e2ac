//! `caulk compare A B`: the side-by-side security comparison of two images or two Dockerfiles.

use anyhow::Result;

use crate::cli::CompareArgs;

pub(crate) fn run(_args: &CompareArgs) -> Result<u8> {
    anyhow::bail!("caulk compare: not implemented yet")
}
