//! NX605: `root /` or `alias /` serves the whole filesystem.

use crate::nginx::{NginxChecker, NginxRule};

declare_rule! {
    /// ## What it does
    /// Reports `root /` and `alias /`.
    ///
    /// ## Why is this bad?
    /// Every file nginx's user can read becomes downloadable: `/etc/passwd`, private keys,
    /// the application's configuration and secrets.
    ///
    /// ## Example
    /// ```nginx
    /// location / {
    ///     root /;
    /// }
    /// ```
    /// Use instead:
    /// ```nginx
    /// location / {
    ///     root /srv/www;
    /// }
    /// ```
    ///
    /// ## References
    /// - Gixy-Next `filesystem_root_exposure`
    pub(crate) struct RootFilesystem {
        code: "NX605",
        name: "root-filesystem",
        summary: "`root /` or `alias /` exposes the whole filesystem",
        severity: High,
        target: Nginx,
        fix: None,
        aliases: ["filesystem_root_exposure"],
    }
}

impl NginxRule for RootFilesystem {
    fn check(&self, cx: &mut NginxChecker<'_>) {
        for n in &cx.model.nodes {
            if !(n.d.is("root") || n.d.is("alias")) {
                continue;
            }
            let Some(a) = n.d.args.first() else { continue };
            if a.value.trim_end_matches('/').is_empty() && !a.value.is_empty() {
                cx.report(n.d, a.range, format!("`{} /` serves every readable file of the system", n.d.name))
                    .set_help("point it at the directory that holds the site, e.g. `root /srv/www;`");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RootFilesystem;
    use crate::nginx::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_root_slash() {
        let text = "server { root /; }";
        let d = assert_fires(&RootFilesystem, text);
        assert_eq!(d[0].range.slice(text), "/");
        assert_fires(&RootFilesystem, "location /x/ { alias //; }");
    }

    #[test]
    fn passes_on_real_directories() {
        assert_passes(&RootFilesystem, "server { root /srv/www; location /x/ { alias /srv/x/; } }");
    }
}
