//! DF202: shipped stage switches to the root user last.

use crate::checker::Checker;
use crate::context::is_root_user;
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::no_user::{drops_privileges, user_fix};

declare_rule! {
    /// ## What it does
    /// Checks the user the final image runs as: the last `USER` of the final stage, or of the
    /// stages it is built `FROM`, must not be root (`root`, `0`, `root:<group>`, `0:<gid>`).
    /// Variables are expanded (`USER $APP_USER` with `ARG APP_USER=root` is root). A
    /// `USER root` followed by `USER app` is fine, as is `USER root` in a build stage that is
    /// not shipped, and an image whose `CMD`/`ENTRYPOINT` drops privileges itself (`gosu`,
    /// `su-exec`, `setpriv`, …). A stage without any `USER` is DF201.
    ///
    /// ## Why is this bad?
    /// Root in the container is root on the host's kernel: an application bug plus a kernel or
    /// runtime escape, a mounted socket or an extra capability becomes a host compromise, and
    /// the process can rewrite the image's own binaries. Steps that need root belong before
    /// the final `USER` switch.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN useradd --system --uid 10001 app
    /// USER root
    /// CMD ["python", "app.py"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN useradd --system --uid 10001 app
    /// USER 10001
    /// CMD ["python", "app.py"]
    /// ```
    ///
    /// ## Fix
    /// An unsafe fix switches to an unprivileged user created the way DF201's fix does: the
    /// last `USER root` becomes `USER app` when no RUN follows it, otherwise `USER app` is added
    /// before the final `CMD`/`ENTRYPOINT`.
    ///
    /// ## References
    /// - hadolint DL3002; Trivy DS-0002 (AVD-DS-0002); Checkov CKV_DOCKER_8; Dockle CIS-DI-0001;
    ///   KICS "Last User Is 'root'"
    /// - CIS Docker Benchmark 4.1
    /// - [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user)
    pub(crate) struct RootUser {
        code: "DF202",
        name: "root-user",
        summary: "shipped stage switches to the root user last",
        severity: High,
        fix: Sometimes,
        aliases: ["DL3002", "AVD-DS-0002", "CKV_DOCKER_8", "CIS-DI-0001"],
    }
}

impl DockerfileRule for RootUser {
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(fc) = cx.final_context() else { return };
        let Some(user) = &fc.user else { return };
        if !is_root_user(&user.value) || drops_privileges(cx) {
            return;
        }
        let value = user.value.trim();
        let written = cx.slice(user.range).trim();
        let via = if written == value { String::new() } else { format!(" (`{written}`)") };
        let inherited = cx.model.final_stage().is_some_and(|f| !f.body().contains(&user.index));
        let message = if inherited {
            format!("the final image inherits USER `{value}`{via} from the stage it is built on, so it runs as root")
        } else {
            format!("the final image runs as USER `{value}`{via}")
        };
        let fix = user_fix(cx, Some(user.index));
        let d = cx.report(user.range, message)
            .set_help("switch to an unprivileged user after the steps that need root, e.g. `USER 10001` (create it with `useradd --system --uid 10001 app`)");
        if let Some(fix) = fix {
            d.set_fix(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::RootUser;

    #[test]
    fn fires_on_last_user_root() {
        let text = "FROM ubuntu:18.04\nUSER root\nCMD [\"sh\", \"-c\", \"python3 app.py\"]\n";
        let d = assert_fires(&RootUser, text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].range.slice(text), "root");
        assert!(d[0].message.contains("USER `root`"));
        assert_fires(&RootUser, "FROM debian:12\nUSER 0:0\n");
        assert_fires(&RootUser, "FROM debian:12\nUSER root:root\n");
    }

    #[test]
    fn fires_through_variables_and_stage_chains() {
        let d = assert_fires(&RootUser, "FROM debian:12\nARG APP_USER=root\nUSER $APP_USER\n");
        assert!(d[0].message.contains("`$APP_USER`"));
        let d = assert_fires(&RootUser, "FROM debian:12 AS base\nUSER root\nFROM base\nCMD [\"app\"]\n");
        assert!(d[0].message.contains("inherits"));
    }

    #[test]
    fn passes_when_switched_back_or_not_shipped() {
        assert_passes(&RootUser, "FROM debian:12\nUSER root\nRUN apt-get update\nUSER app\n");
        assert_passes(&RootUser, "FROM debian:12 AS build\nUSER root\nFROM debian:12\nUSER 10001\n");
        assert_passes(&RootUser, "FROM debian:12\n");
        assert_passes(&RootUser, "FROM debian:12\nUSER rootless\n");
        assert_passes(&RootUser, "FROM debian:12\nUSER root\nENTRYPOINT [\"gosu\", \"app\", \"/app\"]\n");
        assert_passes(&RootUser, "FROM debian:12\nARG APP_UID\nUSER ${APP_UID}\n");
    }

    fn fixed(text: &str, d: &caulk_core::Diagnostic) -> Option<String> {
        caulk_core::diagnostic::apply_edits(text, &d.fix.as_ref()?.edits)
    }

    #[test]
    fn fix_replaces_the_last_user_root() {
        let text = "FROM ubuntu:18.04\nRUN apt-get install -y python3\nUSER root\nCMD [\"python3\", \"app.py\"]\n";
        let d = assert_fires(&RootUser, text);
        assert_eq!(
            fixed(text, &d[0]).as_deref(),
            Some(
                "FROM ubuntu:18.04\nRUN apt-get install -y python3\nRUN groupadd --system app && useradd --system --gid app --no-create-home app\nUSER app\nCMD [\"python3\", \"app.py\"]\n"
            )
        );
    }

    #[test]
    fn fix_keeps_root_for_the_runs_after_it() {
        let text = "FROM alpine:3.20\nUSER root\nRUN apk add --no-cache curl\nCMD [\"app\"]\n";
        let d = assert_fires(&RootUser, text);
        assert_eq!(
            fixed(text, &d[0]).as_deref(),
            Some(
                "FROM alpine:3.20\nUSER root\nRUN apk add --no-cache curl\nRUN addgroup -S app && adduser -S -G app app\nUSER app\nCMD [\"app\"]\n"
            )
        );
        assert_passes(&RootUser, "FROM debian:12\nUSER root\nRUN true\nUSER app\n");
    }
}
