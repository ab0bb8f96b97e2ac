//! DF605: files copied for a non-root user without --chown.

use caulk_syntax::dockerfile::{Body, Keyword};

use super::relative_workdir::{chain_before, is_absolute, join, workdir_before};
use crate::checker::Checker;
use crate::context::is_root_user;
use crate::rule::DockerfileRule;

/// Where applications keep their own files.
const APP_ROOTS: &[&str] = &["/app", "/home", "/srv", "/opt", "/usr/src", "/var/www", "/code", "/workspace"];

/// System locations: files there are meant to be root-owned.
const SYSTEM_ROOTS: &[&str] = &[
    "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/usr", "/etc", "/var", "/root", "/tmp", "/proc", "/sys", "/dev",
    "/run", "/boot",
];

declare_rule! {
    /// ## What it does
    /// Checks, in the stages that make up the image, for `COPY` and `ADD` without `--chown`
    /// that run after a `USER` switched to a non-root user and put files in the application's
    /// space: the `WORKDIR` (when it is not a system directory) or a path under `/app`, `/home`,
    /// `/srv`, `/opt`, `/usr/src`, `/var/www`, `/code`, `/workspace`.
    ///
    /// It is advice (severity info): root-owned application files are the safer choice for code
    /// the application only reads, since a compromised process cannot rewrite them. The finding
    /// is about the cases where the application must write its own files (caches, uploads,
    /// generated assets, SQLite databases) and fails at run time with "permission denied".
    ///
    /// Not reported: stages whose `USER` is root, unset or a variable that cannot be resolved
    /// (the effective user comes from the base image), destinations outside the application's
    /// space (`COPY --from=build /out/app /usr/local/bin/`), and `ONBUILD` triggers.
    ///
    /// ## Why is this bad?
    /// `COPY` ignores `USER`: without `--chown` every copied file belongs to `root:root`.
    /// Fixing it afterwards with `RUN chown -R` duplicates every file in a new layer, doubling
    /// the size they take in the image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// USER node
    /// COPY . .
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// USER node
    /// COPY --chown=node:node . .
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: COPY --chown](https://docs.docker.com/reference/dockerfile/#copy---chown---chmod)
    /// - [Docker best practices: USER](https://docs.docker.com/build/building/best-practices/#user)
    pub(crate) struct CopyWithoutChown {
        code: "DF605",
        name: "copy-without-chown",
        summary: "files copied for a non-root user without --chown",
        severity: Info,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for CopyWithoutChown {
    fn check(&self, cx: &mut Checker<'_>) {
        for (i, inst) in cx.df.instructions.iter().enumerate() {
            let Body::Copy { dest: Some(dest), .. } = &inst.body else { continue };
            if !cx.is_shipped(i) || inst.flag("chown").is_some() {
                continue;
            }
            let Some(user) = user_before(cx, i) else { continue };
            if is_root_user(&user) {
                continue;
            }
            let expanded = cx.model.expand(cx.df, i, &dest.value);
            let value = expanded.value.trim();
            if !expanded.is_resolved() || value.is_empty() {
                continue;
            }
            let workdir = workdir_before(cx, i);
            let path = if is_absolute(value) {
                join("/", value)
            } else {
                match &workdir {
                    Some(w) => join(w, value),
                    None => continue,
                }
            };
            let in_workdir = workdir.as_deref().is_some_and(|w| !is_system(w) && w != "/" && under(&path, w));
            if !in_workdir && !APP_ROOTS.iter().any(|r| under(&path, r)) {
                continue;
            }
            let kw = if inst.keyword == Keyword::Add { "ADD" } else { "COPY" };
            cx.report(inst.keyword_range, format!("{kw} into `{path}` runs while USER is `{user}` but has no `--chown`: the files are owned by root, so `{user}` can read them but not modify them"))
                .set_help(format!("if the application writes there, add `--chown={user}`; files it only reads are safer left root-owned"));
        }
    }
}

/// The (expanded) USER in effect before instruction `index`, from this stage and the stages it
/// is built `FROM`; `None` when unset (the base image decides) or unresolvable.
fn user_before(cx: &Checker<'_>, index: usize) -> Option<String> {
    let mut user = None;
    for i in chain_before(cx, index) {
        let Some(inst) = cx.df.instructions.get(i) else { continue };
        let (Keyword::User, Body::Text(t)) = (inst.keyword, &inst.body) else { continue };
        let expanded = cx.model.expand(cx.df, i, &t.value);
        user = (expanded.is_resolved() && !expanded.value.trim().is_empty()).then(|| expanded.value.trim().to_owned());
    }
    user
}

/// Whether `path` is `root` or inside it.
fn under(path: &str, root: &str) -> bool {
    let root = root.trim_end_matches('/');
    path == root || path.strip_prefix(root).is_some_and(|r| r.starts_with('/'))
}

/// System directories, except the application roots inside them (`/usr/src`, `/var/www`).
fn is_system(path: &str) -> bool {
    !APP_ROOTS.iter().any(|r| under(path, r)) && SYSTEM_ROOTS.iter().any(|r| under(path, r))
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::CopyWithoutChown;

    #[test]
    fn fires_for_non_root_user_in_app_space() {
        let text = "FROM node:22-slim\nWORKDIR /app\nUSER node\nCOPY . .\nADD config.yml /srv/conf/\n";
        let d = assert_fires(&CopyWithoutChown, text);
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("COPY into `/app` runs while USER is `node`"), "{}", d[0].message);
        assert!(d[0].help.as_deref().is_some_and(|h| h.contains("--chown=node")));
        assert!(d[1].message.starts_with("ADD into `/srv/conf`"), "{}", d[1].message);
    }

    #[test]
    fn user_and_workdir_are_inherited_from_parent_stages() {
        assert_fires(
            &CopyWithoutChown,
            "FROM python:3.12 AS base\nWORKDIR /code\nUSER 1000:1000\nFROM base\nCOPY . .\n",
        );
        assert_fires(&CopyWithoutChown, "FROM python:3.12\nWORKDIR /service\nUSER app\nCOPY app.py .\n");
    }

    #[test]
    fn passes_on_root_chown_system_paths_and_unknown_users() {
        assert_passes(&CopyWithoutChown, "FROM node:22\nWORKDIR /app\nCOPY . .\nUSER node\n");
        assert_passes(&CopyWithoutChown, "FROM node:22\nWORKDIR /app\nUSER root\nCOPY . .\nUSER 0:0\nCOPY a b\n");
        assert_passes(&CopyWithoutChown, "FROM node:22\nWORKDIR /app\nUSER node\nCOPY --chown=node:node . .\n");
        assert_passes(
            &CopyWithoutChown,
            "FROM node:22\nUSER node\nCOPY --from=build /out/app /usr/local/bin/app\nCOPY x /etc/x\nCOPY y .\n",
        );
        assert_passes(&CopyWithoutChown, "FROM node:22\nWORKDIR /usr/local/bin\nUSER node\nCOPY app .\n");
        assert_passes(&CopyWithoutChown, "FROM node:22\nWORKDIR /app\nUSER $APP_USER\nCOPY . .\n");
        assert_passes(
            &CopyWithoutChown,
            "FROM node:22 AS build\nWORKDIR /app\nUSER node\nCOPY . .\nFROM node:22\nCOPY --from=build /app /app\n",
        );
        assert_passes(&CopyWithoutChown, "FROM node:22\nWORKDIR /app\nUSER node\nONBUILD COPY . .\n");
    }
}
