//! DC301: a database or admin port is published on every interface.

use crate::compose::{ComposeChecker, ComposeRule};
use crate::rules::compose::util::{all_interfaces, ports};

/// Container ports of databases, caches, brokers and admin interfaces.
const SENSITIVE: [(u32, &str); 22] = [
    (2375, "Docker API"),
    (2376, "Docker API"),
    (2379, "etcd"),
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (5984, "CouchDB"),
    (6379, "Redis"),
    (7000, "Cassandra"),
    (9042, "Cassandra"),
    (8086, "InfluxDB"),
    (8500, "Consul"),
    (9000, "an admin console"),
    (9092, "Kafka"),
    (9200, "Elasticsearch"),
    (9300, "Elasticsearch"),
    (11211, "Memcached"),
    (15672, "RabbitMQ management"),
    (5672, "RabbitMQ"),
    (27017, "MongoDB"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (8081, "an admin console"),
];

declare_rule! {
    /// ## What it does
    /// Reports published ports without a host address (or with `0.0.0.0` / `::`) whose
    /// container port belongs to a database, cache, broker or admin interface: PostgreSQL,
    /// MySQL, SQL Server, Oracle, MongoDB, Redis, Memcached, Elasticsearch, Cassandra,
    /// CouchDB, InfluxDB, Kafka, RabbitMQ, etcd, Consul, the Docker API.
    ///
    /// ## Why is this bad?
    /// Docker publishes on every interface by default and inserts its own firewall rules, so
    /// `ufw`/`firewalld` do not protect the port: the database is on the internet. Data
    /// stores with default or no authentication are found and wiped by scanners within hours.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     ports: ["5432:5432"]
    /// ```
    /// Use instead (or no `ports:` at all; services reach it over the network):
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     ports: ["127.0.0.1:5432:5432"]
    /// ```
    ///
    /// ## References
    /// - KICS "Container Traffic Not Bound To Host Interface"; compose-lint CL-0005
    /// - [Docker and ufw: published ports bypass the firewall](https://docs.docker.com/engine/network/packet-filtering-firewalls/)
    pub(crate) struct SensitivePortExposed {
        code: "DC301",
        name: "sensitive-port-on-all-interfaces",
        summary: "database or admin port published on every interface",
        severity: High,
        target: Compose,
        fix: None,
        aliases: ["CL-0005", "451d79dc-0588-476a-ad03-3c7f0320abb3"],
    }
}

impl ComposeRule for SensitivePortExposed {
    fn check(&self, cx: &mut ComposeChecker<'_>) {
        for (service, _) in cx.services() {
            for p in ports(service) {
                if !all_interfaces(p.host_ip.as_deref()) {
                    continue;
                }
                let Some(port) = p.container_port else { continue };
                let Some((_, what)) = SENSITIVE.iter().find(|(n, _)| *n == port) else { continue };
                cx.report(p.node, format!("service `{}` publishes {what} port {port} on every interface", service.name))
                    .set_help(format!("bind it to loopback (`127.0.0.1:{port}:{port}`) or remove `ports:` and reach it over a project network"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_unbound_database_ports() {
        let d = assert_fires(
            &SensitivePortExposed,
            "services:\n  db:\n    ports: [\"5432:5432\", \"0.0.0.0:16379:6379\", 27017, {target: 3306, published: 3306}]\n",
        );
        assert_eq!(d.len(), 4);
    }

    #[test]
    fn quiet_on_loopback_and_web_ports() {
        assert_passes(
            &SensitivePortExposed,
            "services:\n  db:\n    ports: [\"127.0.0.1:5432:5432\", \"[::1]:6379:6379\", \"8080:80\", {target: 3306, host_ip: 127.0.0.1}]\n",
        );
    }
}
