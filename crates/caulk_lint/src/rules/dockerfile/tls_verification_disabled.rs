//! DF505: TLS certificate verification disabled.

use crate::checker::Checker;
use crate::rule::DockerfileRule;

declare_rule! {
    /// ## What it does
    /// TODO
    ///
    /// ## Why is this bad?
    /// TODO
    ///
    /// ## Example
    /// ```dockerfile
    /// TODO
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// TODO
    /// ```
    ///
    /// ## References
    /// - TODO
    pub(crate) struct TlsVerificationDisabled {
        code: "DF505",
        name: "tls-verification-disabled",
        summary: "TLS certificate verification disabled",
        severity: High,
        fix: None,
        aliases: ["CKV2_DOCKER_2", "CKV2_DOCKER_3", "CKV2_DOCKER_4", "CKV2_DOCKER_5", "CKV2_DOCKER_6", "CKV2_DOCKER_12", "CKV2_DOCKER_13", "CKV2_DOCKER_14", "CKV2_DOCKER_15", "CKV2_DOCKER_16"],
    }
}

impl DockerfileRule for TlsVerificationDisabled {
    fn check(&self, cx: &mut Checker<'_>) {
        let _ = cx;
    }
}
