//! Turns an image's packages into vulnerability findings: looks each package up in the advisory
//! source, evaluates the advisories' ranges by the OSV schema's rules, and groups the advisories
//! that describe one vulnerability (a CVE, its GHSA, the PYSEC, the distro's ALSA) into one
//! finding. Versions that cannot be compared are reported, never skipped silently.

use std::cell::OnceCell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use caulk_core::{AffectedPackage, Distro, Package, VulnFinding};

use crate::ecosystem::{self, PackageKey};
use crate::model::{Advisory, Affected, Event, Range, Rating};
use crate::store::{AdvisorySource, Candidate, StoreError};
use crate::version::{self, Ecosystem, NpmRange, Version};

/// A version the matcher could not compare: an installed version, or a version in an
/// advisory's range. Reported so that the packages it concerns are known to be unchecked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unparsable {
    /// The installed package's name, or the package an advisory names.
    pub package: String,
    pub version: String,
    /// The OSV ecosystem (`Debian:12`, `PyPI`).
    pub ecosystem: String,
    /// Why, naming the advisory when the version is one of its.
    pub message: String,
}

/// What matching one image gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatchOutcome {
    /// Sorted by [`VulnFinding::sort_key`].
    pub findings: Vec<VulnFinding>,
    /// Packages compared with the advisories of at least one ecosystem the source has data for
    /// (packages whose installed version did not parse are not counted).
    pub packages_checked: usize,
    /// Packages caulk cannot look up: an OS package of a distribution OSV does not cover or
    /// without a distribution, a Maven artifact without a group, an empty version.
    pub packages_unsupported: usize,
    /// Versions that could not be compared, each (package, version, ecosystem) once, sorted.
    pub unparsable: Vec<Unparsable>,
    /// Ecosystems the image's packages need but the source has no advisories for, with how many
    /// packages were therefore not checked; sorted.
    pub ecosystems_without_data: Vec<(String, usize)>,
}

/// Matches `packages` against `source`. `distro` is the image's operating system (OS packages'
/// own `distro` takes precedence); `base_layers[i]` says whether layer `i` belongs to the base
/// image. Each distinct (ecosystem, name) is queried once, each candidate's versions parsed
/// once, and packages sharing a lookup key and version (the binaries of one source package) are
/// evaluated once.
pub fn match_packages(
    packages: &[Package],
    distro: Option<&Distro>,
    base_layers: &[bool],
    source: &dyn AdvisorySource,
) -> Result<MatchOutcome, StoreError> {
    let mut known = source.ecosystems()?;
    known.sort();
    known.dedup();
    let has_data = |e: &str| known.binary_search_by(|k| k.as_str().cmp(e)).is_ok();

    let mut outcome = MatchOutcome::default();
    let mut os_cache: Vec<(&Distro, Vec<String>)> = Vec::new();
    let mut without_data: BTreeMap<String, usize> = BTreeMap::new();
    let mut queries: BTreeMap<(String, String), usize> = BTreeMap::new();
    // (query indices, version, ordering) → the packages sharing them.
    let mut units: BTreeMap<(Vec<usize>, String, Ecosystem), Vec<usize>> = BTreeMap::new();

    for (index, package) in packages.iter().enumerate() {
        let os: &[String] = match package.distro.as_ref().or(distro) {
            Some(d) if package.kind.is_os() => {
                let at = match os_cache.iter().position(|(cached, _)| *cached == d) {
                    Some(at) => at,
                    None => {
                        os_cache.push((d, ecosystem::os_ecosystems(d, &known)));
                        os_cache.len() - 1
                    }
                };
                os_cache.get(at).map_or(&[], |(_, e)| e.as_slice())
            }
            _ => &[],
        };
        let Some(PackageKey { ecosystems, names, version, ordering }) = ecosystem::key_with(package, os) else {
            outcome.packages_unsupported += 1;
            continue;
        };
        let with_data: Vec<&String> = ecosystems.iter().filter(|e| has_data(e)).collect();
        if with_data.is_empty() {
            for e in ecosystems {
                *without_data.entry(e).or_default() += 1;
            }
            continue;
        }
        let mut query_ids = Vec::with_capacity(with_data.len() * names.len());
        for eco in with_data {
            for name in &names {
                let next = queries.len();
                query_ids.push(*queries.entry((eco.clone(), name.clone())).or_insert(next));
            }
        }
        query_ids.sort_unstable();
        query_ids.dedup();
        units.entry((query_ids, version, ordering)).or_default().push(index);
    }

    let mut results: Vec<Vec<Prepped>> = (0..queries.len()).map(|_| Vec::new()).collect();
    for ((eco, name), at) in &queries {
        let mut found = source.candidates(eco, name)?;
        found.sort_by(|a, b| {
            (&a.advisory.id, &a.affected.ecosystem, &a.affected.name).cmp(&(
                &b.advisory.id,
                &b.affected.ecosystem,
                &b.affected.name,
            ))
        });
        if let Some(slot) = results.get_mut(*at) {
            *slot = found.into_iter().map(|candidate| Prepped { candidate, ranges: OnceCell::new() }).collect();
        }
    }

    let mut problems: BTreeMap<(String, String, String), String> = BTreeMap::new();
    let mut findings = Vec::new();
    for ((query_ids, version, _), members) in &units {
        let mut installed = Installed::new(version);
        let mut hits: BTreeMap<&str, RecordHit<'_>> = BTreeMap::new();
        for prepped in query_ids.iter().filter_map(|q| results.get(*q)).flatten() {
            let Candidate { advisory, affected } = &prepped.candidate;
            let ranges = prepped.ranges.get_or_init(|| prepare(advisory, affected, &mut problems));
            let Some(Inside { fix }) = evaluate(affected, ranges, &mut installed) else { continue };
            let rating = affected.severity.as_ref().or(advisory.severity.as_ref());
            hits.entry(advisory.id.as_str())
                .and_modify(|hit| {
                    hit.fix = higher_fix(hit.fix, fix);
                    hit.rating = higher_rating(hit.rating, rating);
                })
                .or_insert(RecordHit { advisory, ecosystem: &affected.ecosystem, rating, fix });
        }
        for (ecosystem, message) in &installed.failures {
            for member in members {
                let name = packages.get(*member).map_or("", |p| p.name.as_str());
                let key = (name.to_owned(), version.clone(), ecosystem.clone());
                problems.entry(key).or_insert_with(|| message.clone());
            }
        }
        if installed.failures.is_empty() {
            outcome.packages_checked += members.len();
        }
        if hits.is_empty() {
            continue;
        }
        let records: Vec<RecordHit<'_>> = hits.into_values().collect();
        let mut members = members.iter().filter_map(|m| packages.get(*m));
        let Some(first) = members.next() else { continue };
        let grouped = group(&records, &affected_package(first, base_layers));
        for package in members {
            let affected = affected_package(package, base_layers);
            findings.extend(grouped.iter().map(|f| VulnFinding { package: affected.clone(), ..f.clone() }));
        }
        findings.extend(grouped);
    }

    findings.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.package.purl.cmp(&b.package.purl))
            .then_with(|| a.package.layer.cmp(&b.package.layer))
            .then_with(|| a.ecosystem.cmp(&b.ecosystem))
            .then_with(|| a.advisories.cmp(&b.advisories))
    });
    outcome.findings = findings;
    outcome.unparsable = problems
        .into_iter()
        .map(|((package, version, ecosystem), message)| Unparsable { package, version, ecosystem, message })
        .collect();
    outcome.ecosystems_without_data = without_data.into_iter().collect();
    Ok(outcome)
}

/// A candidate with its ranges parsed on first use.
struct Prepped {
    candidate: Candidate,
    ranges: OnceCell<Vec<Prepared>>,
}

/// One range, its versions parsed.
enum Prepared {
    /// `SEMVER` or `ECOSYSTEM`: events sorted as the schema says, with the installed version's
    /// ordering (`semver` = SemVer 2.0 with a leading `v` dropped).
    Events {
        ordering: Ecosystem,
        semver: bool,
        events: Vec<Sorted>,
    },
    Npm {
        vulnerable: NpmRange,
        patched: Option<NpmRange>,
    },
    /// `GIT` (matched through `versions[]`), or a range with a version that did not parse
    /// (reported).
    Unusable,
}

/// One event after parsing; `event` indexes the range's own events (for the fix's text).
struct Sorted {
    kind: Kind,
    bound: Bound,
    event: usize,
}

/// The event kinds, in the order events at the same version are walked: an interval opened
/// and closed at one version is empty.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Introduced,
    Fixed,
    LastAffected,
    Limit,
}

enum Bound {
    /// `introduced: "0"`: before every version.
    Zero,
    At(Version),
    /// `limit: "*"`.
    Infinity,
}

impl Bound {
    /// How `v` compares with the bound.
    fn cmp_version(&self, v: &Version) -> Ordering {
        match self {
            Self::Zero => Ordering::Less,
            Self::At(b) => b.cmp(v),
            Self::Infinity => Ordering::Greater,
        }
    }

    fn cmp_bound(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Zero, Self::Zero) | (Self::Infinity, Self::Infinity) => Ordering::Equal,
            (Self::Zero, _) | (_, Self::Infinity) => Ordering::Less,
            (_, Self::Zero) | (Self::Infinity, _) => Ordering::Greater,
            (Self::At(a), Self::At(b)) => a.cmp(b),
        }
    }
}

/// Parses the ranges of one affected entry; versions that do not parse are recorded in
/// `problems` and make their range unusable.
fn prepare(
    advisory: &Advisory,
    affected: &Affected,
    problems: &mut BTreeMap<(String, String, String), String>,
) -> Vec<Prepared> {
    let mut report = |text: &str, message: String| {
        let key = (affected.name.clone(), text.to_owned(), affected.ecosystem.clone());
        problems.entry(key).or_insert(message);
    };
    affected
        .ranges
        .iter()
        .map(|range| match range {
            Range::Git { .. } => Prepared::Unusable,
            Range::Semver { events } => prepare_events(events, Ecosystem::Cargo, true, &advisory.id, &mut report),
            Range::Ecosystem { events } => match Ecosystem::from_osv(&affected.ecosystem) {
                Some(ordering) => prepare_events(events, ordering, false, &advisory.id, &mut report),
                None => {
                    let first = events.first().map_or("", Event::version);
                    report(
                        first,
                        format!("{}: caulk has no version ordering for `{}`", advisory.id, affected.ecosystem),
                    );
                    Prepared::Unusable
                }
            },
            Range::NpmExpr { vulnerable, patched } => {
                let parse = |text: &str, report: &mut dyn FnMut(&str, String)| {
                    NpmRange::parse(text)
                        .map_err(|e| report(text, format!("{}: {e}; the range is not evaluated", advisory.id)))
                        .ok()
                };
                let Some(vulnerable) = parse(vulnerable, &mut report) else { return Prepared::Unusable };
                match patched {
                    None => Prepared::Npm { vulnerable, patched: None },
                    Some(text) => match parse(text, &mut report) {
                        Some(p) => Prepared::Npm { vulnerable, patched: Some(p) },
                        None => Prepared::Unusable,
                    },
                }
            }
        })
        .collect()
}

fn prepare_events(
    events: &[Event],
    ordering: Ecosystem,
    semver: bool,
    advisory: &str,
    report: &mut dyn FnMut(&str, String),
) -> Prepared {
    let mut sorted = Vec::with_capacity(events.len());
    let mut usable = true;
    for (index, event) in events.iter().enumerate() {
        let (kind, text) = match event {
            Event::Introduced(v) => (Kind::Introduced, v),
            Event::Fixed(v) => (Kind::Fixed, v),
            Event::LastAffected(v) => (Kind::LastAffected, v),
            Event::Limit(v) => (Kind::Limit, v),
        };
        let bound = match (kind, text.as_str()) {
            (Kind::Introduced, "0") => Bound::Zero,
            (Kind::Limit, "*") => Bound::Infinity,
            (_, text) => {
                let text = if semver { strip_v(text) } else { text };
                match version::parse(ordering, text) {
                    Ok(v) => Bound::At(v),
                    Err(e) => {
                        report(event.version(), format!("{advisory}: {e}; the range is not evaluated"));
                        usable = false;
                        continue;
                    }
                }
            }
        };
        sorted.push(Sorted { kind, bound, event: index });
    }
    if !usable {
        return Prepared::Unusable;
    }
    sort_events(&mut sorted);
    Prepared::Events { ordering, semver, events: sorted }
}

/// Sorts a range's events by version, then kind, with an insertion sort rather than
/// `slice::sort_by`: Maven's ordering (as Maven implements it) is not transitive on some
/// malformed versions (`5-a` < `5-0-snapshot` < `5` < `5-a`), and the standard sorts may panic
/// on such an order. A range has a handful of events; an insertion sort never panics.
fn sort_events(events: &mut [Sorted]) {
    let out_of_order = |a: &Sorted, b: &Sorted| a.bound.cmp_bound(&b.bound).then(a.kind.cmp(&b.kind)).is_gt();
    for i in 1..events.len() {
        let mut j = i;
        while j > 0 && matches!((events.get(j - 1), events.get(j)), (Some(a), Some(b)) if out_of_order(a, b)) {
            events.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// The installed version of one unit, parsed at most once per ordering.
struct Installed<'a> {
    text: &'a str,
    parsed: Vec<(Ecosystem, bool, Option<Version>)>,
    /// (ecosystem, message) for each ordering the text did not parse in.
    failures: Vec<(String, String)>,
}

impl<'a> Installed<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, parsed: Vec::new(), failures: Vec::new() }
    }

    fn get(&mut self, ordering: Ecosystem, semver: bool, ecosystem: &str) -> Option<&Version> {
        let at = match self.parsed.iter().position(|(o, s, _)| *o == ordering && *s == semver) {
            Some(at) => at,
            None => {
                let text = if semver { strip_v(self.text) } else { self.text };
                let parsed = match version::parse(ordering, text) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        let why = if semver { " (the advisories give SemVer ranges)" } else { "" };
                        self.failures.push((
                            ecosystem.to_owned(),
                            format!("installed version {e}{why}; its advisories were not checked"),
                        ));
                        None
                    }
                };
                self.parsed.push((ordering, semver, parsed));
                self.parsed.len() - 1
            }
        };
        self.parsed.get(at).and_then(|(_, _, v)| v.as_ref())
    }
}

/// The fix an affected entry names for the installed version.
#[derive(Clone, Copy)]
struct Fix<'c> {
    text: &'c str,
    /// Parsed for `fixed` events; `None` for npm patched ranges.
    version: Option<&'c Version>,
}

/// An installed version inside an affected entry, with the fix that entry names for it.
#[derive(Clone, Copy)]
struct Inside<'c> {
    fix: Option<Fix<'c>>,
}

/// Whether the installed version is affected: in a range, or listed in `versions[]`.
fn evaluate<'c>(affected: &'c Affected, ranges: &'c [Prepared], installed: &mut Installed<'_>) -> Option<Inside<'c>> {
    let mut result: Option<Inside<'c>> = None;
    for (range, prepared) in affected.ranges.iter().zip(ranges) {
        let hit = match (range, prepared) {
            (
                Range::Semver { events: raw } | Range::Ecosystem { events: raw },
                Prepared::Events { ordering, semver, events },
            ) => {
                let Some(v) = installed.get(*ordering, *semver, &affected.ecosystem) else { continue };
                in_events(events, v).map(|interval| {
                    let fix = interval.fixed.and_then(|s| match &s.bound {
                        Bound::At(version) => {
                            raw.get(s.event).map(|e| Fix { text: e.version(), version: Some(version) })
                        }
                        Bound::Zero | Bound::Infinity => None,
                    });
                    Inside { fix }
                })
            }
            (Range::NpmExpr { patched: text, .. }, Prepared::Npm { vulnerable, patched }) => {
                let Some(v) = installed.get(Ecosystem::Npm, false, &affected.ecosystem) else { continue };
                let inside = vulnerable.contains(v) == Some(true)
                    && patched.as_ref().is_none_or(|p| p.contains(v) != Some(true));
                inside.then(|| Inside { fix: text.as_deref().map(|text| Fix { text, version: None }) })
            }
            _ => None,
        };
        if let Some(hit) = hit {
            result = Some(match result {
                Some(prev) => Inside { fix: higher_fix(prev.fix, hit.fix) },
                None => hit,
            });
        }
    }
    if result.is_none() && affected.versions.iter().any(|v| same_version_text(v, installed.text)) {
        result = Some(Inside { fix: None });
    }
    result
}

/// The interval of a range that holds a version.
struct Interval<'e> {
    /// The `fixed` event closing it; `None` when open-ended or closed by `last_affected`.
    fixed: Option<&'e Sorted>,
}

/// Walks the sorted events (OSV schema §Evaluation): `None` when `v` is outside the range.
fn in_events<'e>(events: &'e [Sorted], v: &Version) -> Option<Interval<'e>> {
    let mut limited = false;
    let mut below_limit = false;
    let mut vulnerable = false;
    let mut opened_at = 0;
    for (at, e) in events.iter().enumerate() {
        let order = e.bound.cmp_version(v);
        match e.kind {
            Kind::Introduced if order != Ordering::Greater => {
                vulnerable = true;
                opened_at = at;
            }
            Kind::Fixed if order != Ordering::Greater => vulnerable = false,
            Kind::LastAffected if order == Ordering::Less => vulnerable = false,
            Kind::Limit => {
                limited = true;
                below_limit |= order == Ordering::Greater;
            }
            _ => {}
        }
    }
    if !vulnerable || (limited && !below_limit) {
        return None;
    }
    let closer = events.iter().skip(opened_at + 1).find(|e| matches!(e.kind, Kind::Fixed | Kind::LastAffected));
    Some(Interval { fixed: closer.filter(|e| e.kind == Kind::Fixed) })
}

/// One advisory record that matched a unit.
#[derive(Clone, Copy)]
struct RecordHit<'c> {
    advisory: &'c Advisory,
    ecosystem: &'c str,
    rating: Option<&'c Rating>,
    fix: Option<Fix<'c>>,
}

/// The fix to report of two: a fixed version over a patched range, the higher version, then
/// the larger text; a known fix over none.
fn higher_fix<'c>(a: Option<Fix<'c>>, b: Option<Fix<'c>>) -> Option<Fix<'c>> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if fix_order(&x, &y) == Ordering::Less { y } else { x }),
        (x, y) => x.or(y),
    }
}

fn fix_order(a: &Fix<'_>, b: &Fix<'_>) -> Ordering {
    match (a.version, b.version) {
        (Some(x), Some(y)) => x.cmp(y).then_with(|| a.text.cmp(b.text)),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => Ordering::Equal,
    }
}

/// The more severe of two ratings (then the higher score); the first on a tie.
fn higher_rating<'c>(a: Option<&'c Rating>, b: Option<&'c Rating>) -> Option<&'c Rating> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if rating_order(x, y) == Ordering::Less { y } else { x }),
        (x, y) => x.or(y),
    }
}

fn rating_order(a: &Rating, b: &Rating) -> Ordering {
    a.severity.cmp(&b.severity).then_with(|| match (a.score, b.score) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (x, y) => x.is_some().cmp(&y.is_some()),
    })
}

/// The union-find root of `i`, halving paths on the way.
fn root(parent: &mut [usize], mut i: usize) -> usize {
    while let Some(&p) = parent.get(i) {
        if p == i {
            break;
        }
        let grand = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(i) {
            *slot = grand;
        }
        i = grand;
    }
    i
}

/// Groups the records (sorted by id) that share any id, transitively, and builds one finding
/// per group for `package`.
fn group(records: &[RecordHit<'_>], package: &AffectedPackage) -> Vec<VulnFinding> {
    let mut parent: Vec<usize> = (0..records.len()).collect();
    let mut owner: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        for id in std::iter::once(&r.advisory.id).chain(&r.advisory.aliases) {
            match owner.get(id.as_str()) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    if let Some(slot) = parent.get_mut(a.max(b)) {
                        *slot = a.min(b);
                    }
                }
                None => {
                    owner.insert(id, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<&RecordHit<'_>>> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        groups.entry(root(&mut parent, i)).or_default().push(r);
    }
    groups.into_values().filter_map(|members| finding(&members, package)).collect()
}

/// The finding of one group (records sorted by id).
fn finding(members: &[&RecordHit<'_>], package: &AffectedPackage) -> Option<VulnFinding> {
    let first = members.first()?;
    let ids: BTreeSet<&str> = members
        .iter()
        .flat_map(|r| std::iter::once(&r.advisory.id).chain(&r.advisory.aliases))
        .map(String::as_str)
        .collect();
    let mut cves = ids.iter().filter(|id| id.starts_with("CVE-"));
    let id = match (cves.next(), cves.next()) {
        (Some(cve), None) => *cve,
        _ => first.advisory.id.as_str(),
    };
    let primary = members.iter().find(|r| r.advisory.id == id);
    let pick = |get: fn(&Advisory) -> Option<&String>| {
        primary.and_then(|r| get(r.advisory)).or_else(|| members.iter().find_map(|r| get(r.advisory))).cloned()
    };
    let rating = members.iter().fold(None, |best, r| higher_rating(best, r.rating));
    let version_fix = members
        .iter()
        .filter_map(|r| r.fix)
        .filter(|f| f.version.is_some())
        .reduce(|a, b| if fix_order(&a, &b) == Ordering::Less { b } else { a });
    let fixed = version_fix
        .or_else(|| primary.and_then(|r| r.fix))
        .or_else(|| members.iter().find_map(|r| r.fix))
        .map(|f| f.text.to_owned());
    Some(VulnFinding {
        id: id.to_owned(),
        aliases: ids.iter().filter(|i| **i != id).map(|i| (*i).to_owned()).collect(),
        advisories: members.iter().map(|r| r.advisory.id.clone()).collect(),
        severity: rating.map(|r| r.severity),
        score: rating.and_then(|r| r.score),
        vector: rating.and_then(|r| r.vector.clone()),
        summary: pick(|a| a.summary.as_ref()),
        fixed,
        url: pick(|a| a.url.as_ref()),
        ecosystem: primary.unwrap_or(first).ecosystem.to_owned(),
        package: package.clone(),
    })
}

fn affected_package(package: &Package, base_layers: &[bool]) -> AffectedPackage {
    let layer = package.evidence.layer;
    AffectedPackage {
        kind: package.kind,
        name: package.name.clone(),
        version: package.version.clone(),
        advisory_name: package.advisory_name().to_owned(),
        purl: package.purl(),
        path: package.evidence.path.clone(),
        layer,
        base: layer.and_then(|l| base_layers.get(l as usize)).copied().unwrap_or(false),
    }
}

fn strip_v(text: &str) -> &str {
    text.strip_prefix('v').unwrap_or(text)
}

/// `versions[]` entries are compared as text (parsing hundreds of listed versions per advisory
/// would dominate matching); a leading `v` (Git tags) is ignored.
fn same_version_text(listed: &str, installed: &str) -> bool {
    listed == installed || strip_v(listed) == strip_v(installed)
}
