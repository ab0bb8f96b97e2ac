//! `caulk fix --tier`: rewrites a Dockerfile into the hardened, distroless or scratch tier.

use anyhow::Result;

use crate::cli::{FixArgs, Tier};

pub(crate) fn run(_args: &FixArgs, _tier: Tier) -> Result<u8> {
    anyhow::bail!("caulk fix --tier: not implemented yet")
}
