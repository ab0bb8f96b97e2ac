//! DC404: no restart policy, or one that retries forever.

use crate::compose::{ComposeChecker, ComposeRule};

declare_rule! {
    /// ## What it does
    /// Reports services without a restart policy (`restart` missing or `no`, and no
    /// `deploy.restart_policy`), and `on-failure` policies without a retry bound
    /// (`restart: on-failure` without `:N`, or `deploy.restart_policy` with `condition:
    /// on-failure` and no `max_attempts`). `always` and `unless-stopped` are accepted: Docker
    /// restarts them with an increasing delay.
    ///
    /// ## Why is this bad?
    /// Without a policy a crashed service stays down until someone notices. An unbounded
    /// `on-failure` loop on a service that can never start hides the failure and keeps
    /// re-running whatever broke it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:2.1
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     restart: unless-stopped
    /// ```
    ///
    /// ## References
    /// - KICS "Restart Policy On Failure Not Set To 5"
    /// - CIS Docker Benchmark 5.15: ensure that the 'on-failure' container restart policy is set to '5'
    /// - [Compose file reference: restart](https://docs.docker.com/reference/compose-file/services/#restart)
    pub(crate) struct RestartPolicy {
        code: "DC404",
        name: "restart-policy-missing",
        summary: "service has no restart policy, or an unbounded `on-failure` one",
        severity: Low,
        target: Compose,
        fix: None,
        aliases: [],
    }
}

impl ComposeRule for RestartPolicy {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            let deploy = service.node.path(&["deploy", "restart_policy"]);
            if let Some(policy) = deploy {
                let cond = policy.get("condition").and_then(|n| n.as_str()).unwrap_or("any");
                if cond == "none" {
                    cx.report(policy, format!("service `{}` is never restarted (`condition: none`)", service.name))
                        .set_help("use `condition: on-failure` with `max_attempts`, or `any`");
                } else if cond == "on-failure" && policy.get("max_attempts").is_none() {
                    cx.report(
                        policy,
                        format!("service `{}` is restarted on failure without a retry bound", service.name),
                    )
                    .set_help("set `max_attempts` (e.g. 5)");
                }
                continue;
            }
            match service.entry("restart") {
                None => {
                    cx.report_service(service, format!("service `{}` has no restart policy", service.name))
                        .set_help("set `restart: unless-stopped` (or `on-failure:5`)");
                }
                Some(e) => {
                    let v = e.value.as_str().unwrap_or("").trim();
                    if v == "no" || v == "false" || e.value.is_null() {
                        cx.report(&e.value, format!("service `{}` is never restarted (`restart: {v}`)", service.name))
                            .set_help("set `restart: unless-stopped` (or `on-failure:5`)");
                    } else if v == "on-failure" {
                        cx.report(
                            &e.value,
                            format!("service `{}` is restarted on failure without a retry bound", service.name),
                        )
                        .set_help("bound the retries: `restart: on-failure:5`");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_when_missing_no_or_unbounded() {
        assert_fires(&RestartPolicy, "services:\n  a:\n    image: x:1\n");
        assert_fires(&RestartPolicy, "services:\n  a:\n    restart: \"no\"\n");
        assert_fires(&RestartPolicy, "services:\n  a:\n    restart: on-failure\n");
        assert_fires(&RestartPolicy, "services:\n  a:\n    deploy: {restart_policy: {condition: on-failure}}\n");
    }

    #[test]
    fn quiet_with_policies() {
        for p in ["always", "unless-stopped", "on-failure:5"] {
            assert_passes(&RestartPolicy, &format!("services:\n  a:\n    restart: {p}\n"));
        }
        assert_passes(
            &RestartPolicy,
            "services:\n  a:\n    deploy: {restart_policy: {condition: on-failure, max_attempts: 3}}\n",
        );
    }
}
