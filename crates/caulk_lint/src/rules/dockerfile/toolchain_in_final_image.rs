//! DF408: build toolchain left in the final image.

use caulk_core::TextRange;
use caulk_syntax::dockerfile::Base;

use crate::checker::Checker;
use crate::packages::Manager;
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::no_user::root_stage;
use crate::rules::dockerfile::unnecessary_tools::{pkg_is, shipped_packages};

declare_rule! {
    /// ## What it does
    /// Checks the stages that end up in the built image for build toolchains installed with
    /// apt, apk, yum/dnf or zypper and not removed again: compilers (`gcc`, `g++`, `clang`,
    /// `build-essential`, `build-base`, `alpine-sdk`, `golang`, `rustc`, `cargo`, a JDK),
    /// build tools (`make`, `cmake`, `autoconf`, `automake`, `libtool`, `maven`, `gradle`) and
    /// development headers (`*-dev`, `*-devel`, `linux-headers`). Also reports a final image
    /// that runs an application (`CMD`/`ENTRYPOINT`) straight from a toolchain image
    /// (`golang`, `rust`, `gcc`, `maven`, `gradle`).
    ///
    /// Toolchains in build stages are the point of a multi-stage build and are fine, as are
    /// packages removed later (`apk add --virtual .build-deps …` then `apk del .build-deps`,
    /// `apt-get purge --auto-remove`, the `apt-mark auto` + autoremove pattern).
    ///
    /// ## Why is this bad?
    /// A compiler in the running image lets an attacker build exploits and tools on the spot,
    /// and the toolchain is usually the largest and most CVE-laden part of the image. A
    /// multi-stage build compiles in one stage and copies only the artifacts into a small
    /// runtime stage.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y gcc libpq-dev \
    ///  && pip install --no-cache-dir psycopg2==2.9.9
    /// CMD ["python", "app.py"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim AS build
    /// RUN apt-get update && apt-get install -y gcc libpq-dev \
    ///  && pip wheel --wheel-dir /wheels psycopg2==2.9.9
    ///
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
    /// COPY --from=build /wheels /wheels
    /// RUN pip install --no-cache-dir /wheels/*
    /// CMD ["python", "app.py"]
    /// ```
    ///
    /// ## References
    /// - [Docker docs: multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
    /// - [Docker best practices: use multi-stage builds](https://docs.docker.com/build/building/best-practices/#use-multi-stage-builds)
    pub(crate) struct ToolchainInFinalImage {
        code: "DF408",
        name: "toolchain-in-final-image",
        summary: "build toolchain left in the final image",
        severity: Medium,
        fix: None,
        aliases: [],
    }
}

const COMPILERS: &[&str] = &[
    "gcc",
    "g++",
    "gcc-c++",
    "c++",
    "clang",
    "gfortran",
    "build-essential",
    "build-base",
    "alpine-sdk",
    "golang",
    "golang-go",
    "go",
    "rustc",
    "cargo",
    "rust",
    "default-jdk",
    "default-jdk-headless",
];
const BUILD_TOOLS: &[&str] =
    &["make", "cmake", "autoconf", "automake", "libtool", "ninja-build", "meson", "maven", "gradle"];
const TOOLCHAIN_IMAGES: &[&str] = &["golang", "rust", "gcc", "maven", "gradle"];

/// What kind of toolchain package `name` is, if any.
fn toolchain_kind(manager: Manager, name: &str) -> Option<&'static str> {
    let versioned = |prefix: &str| {
        name.strip_prefix(prefix).is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
    };
    let jdk = (name.starts_with("openjdk") && (name.ends_with("-jdk") || name.ends_with("-jdk-headless")))
        || (name.starts_with("java-") && name.contains("-openjdk-devel"));
    if COMPILERS.iter().any(|c| pkg_is(manager, name, c))
        || versioned("gcc-")
        || versioned("g++-")
        || versioned("clang-")
        || jdk
    {
        Some("a compiler")
    } else if BUILD_TOOLS.iter().any(|t| pkg_is(manager, name, t)) {
        Some("a build tool")
    } else if name.ends_with("-dev") || name.ends_with("-devel") || matches!(name, "linux-headers" | "kernel-headers") {
        Some("development headers")
    } else {
        None
    }
}

/// The toolchain packages of one install command: the command (RUN index and range), the
/// range of its first toolchain package, and every (package as written, kind).
type Group = ((usize, TextRange), TextRange, Vec<(String, &'static str)>);

impl DockerfileRule for ToolchainInFinalImage {
    fn check(&self, cx: &mut Checker<'_>) {
        let has_builder = cx.model.stages.iter().any(|s| s.reachable && !s.shipped);
        let mut found = Vec::new();
        // one finding per install command, on its first toolchain package
        let mut groups: Vec<Group> = Vec::new();
        for p in shipped_packages(cx) {
            if p.removed || !matches!(p.manager, Manager::Apt | Manager::Apk | Manager::Yum | Manager::Zypper) {
                continue;
            }
            let Some(kind) = toolchain_kind(p.manager, &p.name) else { continue };
            let key = (p.index, p.command.range);
            match groups.last_mut() {
                Some((k, _, items)) if *k == key => items.push((p.word.value.clone(), kind)),
                _ => groups.push((key, p.word.range, vec![(p.word.value.clone(), kind)])),
            }
        }
        for (_, range, items) in groups {
            let what = match items.as_slice() {
                [(name, kind)] => format!("`{name}` ({kind}) is"),
                _ => {
                    let shown: Vec<String> = items.iter().take(4).map(|(n, _)| format!("`{n}`")).collect();
                    let more = if items.len() > 4 { format!(" and {} more", items.len() - 4) } else { String::new() };
                    format!("build toolchain ({}{more}) is", shown.join(", "))
                }
            };
            let (message, help) = if has_builder {
                (
                    format!("{what} installed in the final stage although the build already has a build stage"),
                    "move the step that needs it into the build stage and copy only its output, or remove it in the same RUN after use".to_owned(),
                )
            } else {
                (
                    format!("{what} installed in the final image of a single-stage build"),
                    "use a multi-stage build: compile in a `FROM … AS build` stage and `COPY --from=build` only the results; or remove it in the same RUN after use (`apk add --virtual .build-deps …` / `apk del .build-deps`, `apt-get purge -y --auto-remove …`)".to_owned(),
                )
            };
            found.push((range, message, help));
        }
        if let (Some(fc), Some(fin)) = (cx.final_context(), cx.model.final_stage()) {
            let root = root_stage(cx.model, fin);
            if let Base::Image(image) = &root.base
                && TOOLCHAIN_IMAGES.contains(&image.name())
                && (fc.cmd.is_some() || fc.entrypoint.is_some())
            {
                let text = root.base_text.trim();
                found.push((
                    root.base_range,
                    format!("the final image runs on the `{text}` toolchain image"),
                    format!("build in a `FROM {text} AS build` stage and copy only the artifacts into a small runtime image (distroless, a slim runtime image, or scratch)"),
                ));
            }
        }
        found.sort_by_key(|(r, _, _)| (r.start, r.end));
        for (range, message, help) in found {
            cx.report(range, message).set_help(help);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test::{assert_fires, assert_passes};

    use super::ToolchainInFinalImage;

    #[test]
    fn fires_in_single_stage_builds() {
        let d = assert_fires(
            &ToolchainInFinalImage,
            "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gcc libpq-dev curl && pip install psycopg2==2.9.9\nCMD [\"python\", \"app.py\"]\n",
        );
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("build toolchain (`gcc`, `libpq-dev`) is") && d[0].message.contains("single-stage"),
            "{}",
            d[0].message
        );
        let d = assert_fires(
            &ToolchainInFinalImage,
            "FROM debian:12\nRUN apt-get install -y gcc g++ make cmake libc6-dev curl\n",
        );
        assert!(d[0].message.contains("and 1 more"), "{}", d[0].message);
        let d = assert_fires(&ToolchainInFinalImage, "FROM debian:12\nRUN apt-get install -y gcc\n");
        assert!(d[0].message.starts_with("`gcc` (a compiler) is installed"), "{}", d[0].message);
        assert_fires(&ToolchainInFinalImage, "FROM alpine:3.20\nRUN apk add --no-cache build-base=0.5-r3\n");
        assert_fires(
            &ToolchainInFinalImage,
            "FROM rockylinux:9\nRUN dnf install -y gcc-c++ make-4.3 && dnf clean all\n",
        );
        assert_fires(&ToolchainInFinalImage, "FROM debian:12\nRUN apt-get install -y openjdk-17-jdk-headless g++-12\n");
    }

    #[test]
    fn fires_in_the_final_stage_of_a_multi_stage_build() {
        let d = assert_fires(
            &ToolchainInFinalImage,
            "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM debian:12\nRUN apt-get install -y make\nCOPY --from=build /app /app\n",
        );
        assert!(d[0].message.contains("build stage"));
    }

    #[test]
    fn fires_on_toolchain_base_images() {
        let text = "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n";
        let d = assert_fires(&ToolchainInFinalImage, text);
        assert_eq!(d[0].range.slice(text), "golang:1.23");
    }

    #[test]
    fn passes_in_build_stages_removed_or_runtime_packages() {
        assert_passes(
            &ToolchainInFinalImage,
            "FROM python:3.12 AS build\nRUN apt-get install -y gcc\nFROM python:3.12-slim\nCOPY --from=build /w /w\nCMD [\"python\"]\n",
        );
        assert_passes(
            &ToolchainInFinalImage,
            "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && pip install x==1 && apk del .build-deps\n",
        );
        assert_passes(&ToolchainInFinalImage, "FROM debian:12\nRUN apt-get install -y libpq5 udev devscripts-el\n");
        assert_passes(
            &ToolchainInFinalImage,
            "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
        );
        assert_passes(&ToolchainInFinalImage, "FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@v0.16.2\n");
    }
}
