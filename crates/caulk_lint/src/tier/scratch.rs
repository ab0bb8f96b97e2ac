//! The scratch tier: a statically linked binary alone in an empty image, with CA certificates and
//! a passwd entry for the numeric non-root user. Only programs that compile to one static binary
//! (Go without cgo, Rust for musl) can live there; for the others caulk says why not.

use super::build;
use super::detect::{App, Language};
use super::out::Out;
use super::versions;
use super::{NotPossible, TierRewrite};

pub(crate) fn rewrite(app: &App, today: &str) -> Result<TierRewrite, NotPossible> {
    let mut notes = Vec::new();
    let mut out = Out::default();
    match app.language {
        Language::Python => {
            return Err(NotPossible::new(
                "a Python program needs the interpreter and its standard library at run time, which scratch does not have; use --tier distroless",
            ));
        }
        Language::Node => {
            return Err(NotPossible::new(
                "a Node.js program needs the node runtime at run time, which scratch does not have; use --tier distroless",
            ));
        }
        Language::Java => {
            return Err(NotPossible::new(
                "a Java program needs a JVM at run time, which scratch does not have; use --tier distroless",
            ));
        }
        Language::DotNet => {
            return Err(NotPossible::new(
                "a .NET program needs the .NET runtime at run time, which scratch does not have, and even a NativeAOT build (`-p:PublishAot=true`) loads libc dynamically (and ICU unless globalization is invariant); use --tier distroless (chiseled Ubuntu: no shell, no package manager)",
            ));
        }
        Language::Go | Language::Rust => {}
    }
    out.line("# Scratch by `caulk fix --tier scratch`: one static binary in an empty image, with CA");
    out.line("# certificates and a passwd entry for the numeric non-root user 65532.");
    if app.language == Language::Go {
        let c = versions::go(app.version.as_deref(), today)
            .ok_or_else(|| NotPossible::new("no supported Go release is known to caulk's end-of-life data"))?;
        notes.extend(c.note);
        out.caulk("CGO_ENABLED=0 links the program statically: no libc is needed at run time");
        build::go_build(&mut out, app, &c.version, true);
    } else {
        let c = versions::rust(app.version.as_deref());
        notes.extend(c.note);
        out.caulk("the Alpine Rust image targets musl, which links the program statically");
        build::rust_build(&mut out, app, &format!("rust:{}-alpine", c.version), true);
        notes.push("the Rust program is built for musl; crates that link C libraries need their static `-dev` packages (pinned) in the build stage, or the tier is not possible".to_owned());
    }
    let args = build::binary_args(app, &mut notes);
    notes.push("scratch has no /tmp, no shell and no time zone data: mount a tmpfs if the program writes temporary files, and embed tzdata (Go: `import _ \"time/tzdata\"`) if it converts time zones".to_owned());
    out.blank();
    out.line("FROM scratch");
    out.line("COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt");
    out.line("COPY --from=build /out/etc/passwd /out/etc/group /etc/");
    out.env(&app.env);
    out.metadata(app);
    out.line(format!("WORKDIR {}", app.workdir));
    let binary = format!("{}/{}", app.workdir.trim_end_matches('/'), app.binary);
    out.line(format!("COPY --from=build /out/{} {binary}", app.binary));
    out.blank();
    out.line("USER 65532:65532");
    out.expose(app);
    let (url, _) = super::out::health_url(app, 8080);
    out.no_healthcheck(&format!(
        "scratch has no shell or HTTP client to run a probe with, so the image declares no health check on purpose; probe {url} from the orchestrator (a Kubernetes httpGet probe), or give the program a health-check mode and use `HEALTHCHECK CMD [\"{binary}\", \"<health flag>\"]`"
    ));
    out.command(&[binary], &args);
    Ok(TierRewrite { text: out.finish(), notes })
}
