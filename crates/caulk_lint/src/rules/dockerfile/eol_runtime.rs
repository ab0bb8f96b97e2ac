//! DF102: base image whose language runtime or server is past end of life.

use crate::checker::Checker;
use crate::eol::EolKind;
use crate::rule::DockerfileRule;
use crate::rules::dockerfile::eol_base_image::report_eol;

declare_rule! {
    /// ## What it does
    /// Checks the base image of every shipped stage for a language runtime or server release whose
    /// support has ended, from the image name and tag: `python:3.9`, `node:16-alpine`, `golang:1.19`,
    /// `php:7.4-fpm`, `ruby:2.7`, `postgres:11`,
    /// `nginx:1.20`, `mcr.microsoft.com/dotnet/aspnet:6.0`.
    ///
    /// ## Why is this bad?
    /// After its end of life a runtime gets no security releases: interpreter and standard-library
    /// vulnerabilities stay open, and the image's own OS packages usually stop being rebuilt too.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.9-slim
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.13-slim
    /// ```
    ///
    /// ## References
    /// - [endoflife.date](https://endoflife.date)
    pub(crate) struct EolRuntime {
        code: "DF102",
        name: "eol-runtime",
        summary: "base image whose language runtime is past end of life",
        severity: High,
        fix: None,
        aliases: [],
    }
}

impl DockerfileRule for EolRuntime {
    fn check(&self, cx: &mut Checker<'_>) {
        report_eol(cx, EolKind::Runtime);
    }
}

#[cfg(test)]
mod tests {
    use super::EolRuntime;
    use crate::test::{assert_fires, assert_passes};

    #[test]
    fn fires_on_eol_runtimes() {
        let d = assert_fires(&EolRuntime, "FROM python:3.9\n");
        assert!(d[0].message.contains("Python 3.9") && d[0].message.contains("2025-10-31"), "{}", d[0].message);
        let d = assert_fires(&EolRuntime, "FROM node:16-alpine\n");
        assert!(d[0].message.contains("16"), "{}", d[0].message);
    }

    #[test]
    fn passes_on_supported_runtimes_and_os_images() {
        assert_passes(&EolRuntime, "FROM python:3.13-slim\n");
        assert_passes(&EolRuntime, "FROM node:22\n");
        assert_passes(&EolRuntime, "FROM ubuntu:18.04\n");
        assert_passes(&EolRuntime, "FROM python:latest\n");
        assert_passes(&EolRuntime, "FROM python:3.9 AS build\nFROM python:3.13-slim\n");
    }
}
