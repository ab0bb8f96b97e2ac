//! DC303: services share the default network with every other service.

use crate::compose::{ComposeChecker, ComposeRule};

declare_rule! {
    /// ## What it does
    /// In a project with two or more services, reports each service that joins no network of
    /// its own (`networks:`) and sets no `network_mode`: it is on the project's default
    /// network, where every service can reach every other.
    ///
    /// ## Why is this bad?
    /// Network isolation between tiers is what stops a compromised web front end from talking
    /// straight to the database's admin port or to an internal service with no
    /// authentication. Put each tier on its own network and connect only the services that
    /// must talk (mark back-end networks `internal: true`).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///   db:
    ///     image: postgres:16
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     networks: [frontend, backend]
    ///   db:
    ///     image: postgres:16
    ///     networks: [backend]
    /// networks:
    ///   frontend:
    ///   backend:
    ///     internal: true
    /// ```
    ///
    /// ## References
    /// - KICS "Networks Not Set"
    /// - [Networking in Compose](https://docs.docker.com/compose/how-tos/networking/)
    pub(crate) struct DefaultNetwork {
        code: "DC303",
        name: "default-network-only",
        summary: "service is only on the project's default network (no isolation between tiers)",
        severity: Low,
        target: Compose,
        fix: None,
        aliases: ["ce14a68b-1668-41a0-ab7d-facd9f784742"],
    }
}

impl ComposeRule for DefaultNetwork {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        if cx.project.services.len() < 2 {
            return;
        }
        for (service, _) in cx.services() {
            if service.get("network_mode").is_some() {
                continue;
            }
            let own = service.get("networks").is_some_and(|n| {
                let names: Vec<&str> = match n.as_map() {
                    Some(entries) => entries.iter().filter_map(|e| e.key.as_str()).collect(),
                    None => n.strings().into_iter().filter_map(|s| s.as_str()).collect(),
                };
                names.iter().any(|name| *name != "default")
            });
            if !own {
                cx.report_service(service, format!("service `{}` is only on the default network, reachable by every other service", service.name))
                    .set_help("declare networks per tier (e.g. `frontend`, `backend` with `internal: true`) and list under `networks:` only those the service needs");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_for_services_on_default_only() {
        let d =
            assert_fires(&DefaultNetwork, "services:\n  web:\n    networks: [front]\n  db:\n    networks: [default]\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`db`"));
    }

    #[test]
    fn quiet_for_single_services_and_isolated_tiers() {
        assert_passes(&DefaultNetwork, "services:\n  web:\n    image: x:1\n");
        assert_passes(
            &DefaultNetwork,
            "services:\n  web:\n    networks: {front: {}, back: {aliases: [w]}}\n  db:\n    networks: [back]\n  tool:\n    network_mode: none\n",
        );
    }
}
