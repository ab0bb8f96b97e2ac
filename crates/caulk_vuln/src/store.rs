//! The advisory store: one SQLite file in the cache directory, advisories keyed by (source, id),
//! affected rows indexed by (ecosystem, package), and the provenance of every import.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::OptionalExtension as _;

use crate::model::{Advisory, Affected};

/// Why the store could not be opened, read or written, or an input could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("advisory store {path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error("advisory store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// An import input that could not be read at all (missing, not a supported format).
    #[error("{path}: {message}")]
    Input { path: String, message: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// An advisory (its `affected` list left empty) paired with one affected entry that names the
/// package looked up. The advisory is shared: an ALSA names dozens of binary packages, and its
/// aliases are parsed once per lookup, not once per package.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub advisory: Arc<Advisory>,
    pub affected: Affected,
}

/// Where the matcher gets advisories: the SQLite store, or memory in tests.
pub trait AdvisorySource {
    /// Every affected entry for `name` in exactly `ecosystem`, with its advisory.
    fn candidates(&self, ecosystem: &str, name: &str) -> Result<Vec<Candidate>, StoreError>;
    /// Every distinct ecosystem with at least one affected entry, sorted.
    fn ecosystems(&self) -> Result<Vec<String>, StoreError>;
}

/// A record that could not be imported, named by its file (inside an archive: `archive.zip!member.json`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub file: String,
    pub message: String,
}

/// What one import input gave.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// The file, directory or URL recorded as the provenance location.
    pub location: String,
    /// Formats seen: `OSV`, `Alpine secdb`, `Node.js security WG`.
    pub formats: Vec<String>,
    /// Advisories stored.
    pub records: usize,
    /// OSV records with `withdrawn`, dropped.
    pub withdrawn: usize,
    /// Entries that are valid but carry nothing to match (a secdb fix of `0`), with why.
    pub skipped: usize,
    pub malformed: Vec<Malformed>,
    /// Affected entries per ecosystem.
    pub ecosystems: BTreeMap<String, usize>,
}

/// One import as recorded in the store.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub location: String,
    pub formats: Vec<String>,
    /// RFC 3339, UTC.
    pub imported_at: String,
    pub records: usize,
    pub withdrawn: usize,
    pub malformed: usize,
    pub ecosystems: BTreeMap<String, usize>,
}

/// What `caulk db status` prints.
#[derive(Debug, Clone)]
pub struct Status {
    pub path: PathBuf,
    pub size_bytes: u64,
    pub advisories: usize,
    pub affected: usize,
    pub sources: Vec<Provenance>,
}

/// How much of a read-only store SQLite maps instead of reading page by page (all of it, in
/// practice: every feed osv.dev exports makes a store of a few hundred MiB at most).
const MMAP_BYTES: i64 = 1 << 30;

/// The schema this build reads and writes (`PRAGMA user_version`). 2: ranges externally tagged.
const SCHEMA_VERSION: i64 = 2;

const SCHEMA: &str = "
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    location TEXT NOT NULL UNIQUE,
    formats TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    records INTEGER NOT NULL,
    withdrawn INTEGER NOT NULL,
    malformed INTEGER NOT NULL,
    ecosystems TEXT NOT NULL
);
CREATE TABLE advisories (
    source_id INTEGER NOT NULL,
    id TEXT NOT NULL,
    aliases TEXT NOT NULL,
    summary TEXT,
    severity TEXT,
    published TEXT,
    modified TEXT,
    url TEXT,
    PRIMARY KEY (source_id, id)
) WITHOUT ROWID;
CREATE TABLE affected (
    ecosystem TEXT NOT NULL,
    name TEXT NOT NULL,
    advisory_id TEXT NOT NULL,
    source_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    ranges TEXT NOT NULL,
    versions TEXT NOT NULL,
    severity TEXT,
    PRIMARY KEY (ecosystem, name, advisory_id, source_id, seq)
) WITHOUT ROWID;
";

/// Affected rows are clustered by (ecosystem, name): a lookup is one seek and a contiguous
/// scan already in (advisory id, source, position) order. Their advisories are read apart, once
/// per lookup each (an ALSA names dozens of binary packages).
const CANDIDATES: &str = "
SELECT f.advisory_id, f.source_id, f.ecosystem, f.name, f.ranges, f.versions, f.severity
FROM affected f
WHERE f.ecosystem = ?1 AND f.name = ?2
ORDER BY f.advisory_id, f.source_id, f.seq";

/// One advisory by its primary key.
const ADVISORY: &str = "
SELECT id, aliases, summary, severity, published, modified, url
FROM advisories WHERE source_id = ?1 AND id = ?2";

/// Advisories already read through one lookup, by source and id.
type Seen = HashMap<i64, HashMap<String, Arc<Advisory>>>;

/// The SQLite advisory store.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    conn: rusqlite::Connection,
    writable: bool,
}

impl Store {
    /// The default location: `$CAULK_CACHE_DIR/advisories.db`, else `<platform cache dir>/caulk/advisories.db`.
    pub fn default_path() -> Option<PathBuf> {
        default_path_in(std::env::var_os("CAULK_CACHE_DIR"), dirs::cache_dir)
    }

    /// Opens an existing store read-only; `Ok(None)` when there is no file at `path`.
    pub fn open(path: &Path) -> Result<Option<Self>, StoreError> {
        let open_error = |message: String| StoreError::Open { path: path.to_path_buf(), message };
        if !path.try_exists().map_err(|e| open_error(e.to_string()))? {
            return Ok(None);
        }
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = rusqlite::Connection::open_with_flags(path, flags).map_err(|e| open_error(e.to_string()))?;
        match schema_of(&conn).map_err(|e| open_error(format!("not a caulk advisory store: {e}")))? {
            Schema::Current => {
                // One read transaction for the store's life: every lookup of a scan sees the same
                // snapshot, and SQLite takes its shared lock once instead of per query (that lock
                // and the file-change check cost more than the lookup itself). `caulk db update`
                // replaces the file by renaming and never waits for a scan; an import into the
                // live file waits for it (SQLite's busy timeout) and then fails as locked.
                conn.pragma_update(None, "mmap_size", MMAP_BYTES).map_err(|e| open_error(e.to_string()))?;
                conn.execute_batch("BEGIN; SELECT count(*) FROM sources;").map_err(|e| open_error(e.to_string()))?;
                Ok(Some(Self { path: path.to_path_buf(), conn, writable: false }))
            }
            Schema::Empty => Err(open_error("empty; import advisories with `caulk db update`".to_owned())),
            Schema::Other(version) => Err(open_error(outdated(version))),
            Schema::Foreign => Err(open_error("not a caulk advisory store".to_owned())),
        }
    }

    /// Opens a store for writing, creating the file, its directories and the schema as needed.
    /// A store of another schema version is a cache from another caulk: it is emptied and rebuilt.
    pub fn create(path: &Path) -> Result<Self, StoreError> {
        let open_error = |message: String| StoreError::Open { path: path.to_path_buf(), message };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| open_error(format!("cannot create {}: {e}", parent.display())))?;
        }
        let conn = rusqlite::Connection::open(path).map_err(|e| open_error(e.to_string()))?;
        match schema_of(&conn).map_err(|e| open_error(format!("not a caulk advisory store: {e}")))? {
            Schema::Current => {}
            Schema::Empty => create_schema(&conn, "").map_err(|e| open_error(e.to_string()))?,
            Schema::Other(_) => create_schema(
                &conn,
                "DROP TABLE IF EXISTS affected; DROP TABLE IF EXISTS advisories; DROP TABLE IF EXISTS sources;",
            )
            .map_err(|e| open_error(e.to_string()))?,
            Schema::Foreign => return Err(open_error("not a caulk advisory store; not overwriting it".to_owned())),
        }
        // A rebuildable cache: a crash of caulk rolls back through the journal; a crash of the
        // machine may lose the file, and `caulk db update` rebuilds it.
        conn.pragma_update(None, "synchronous", "OFF")?;
        conn.pragma_update(None, "journal_mode", "DELETE")?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "cache_size", -65_536)?;
        Ok(Self { path: path.to_path_buf(), conn, writable: true })
    }

    /// Imports one input (JSON file, directory, `.zip`, `.tar.gz`) in one transaction, replacing
    /// whatever an earlier import of the same location stored. `location` overrides the recorded
    /// location (a download's URL); by default it is the absolute path.
    pub fn import_path(&mut self, path: &Path, location: Option<&str>) -> Result<ImportReport, StoreError> {
        let now = jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
        self.import_path_at(path, location, &now)
    }

    /// [`Store::import_path`] with the import time given (RFC 3339), for reproducible stores.
    pub fn import_path_at(
        &mut self,
        path: &Path,
        location: Option<&str>,
        imported_at: &str,
    ) -> Result<ImportReport, StoreError> {
        if !self.writable {
            return Err(StoreError::Open {
                path: self.path.clone(),
                message: "opened read-only; cannot import into it".to_owned(),
            });
        }
        let batch = crate::import::read_path(path)?;
        let location = match location {
            Some(location) => location.to_owned(),
            None => std::fs::canonicalize(path)
                .map_err(|e| StoreError::Input {
                    path: path.display().to_string(),
                    message: format!("cannot read: {e}"),
                })?
                .display()
                .to_string(),
        };
        let mut report = batch.report;
        report.location = location;
        self.write(&report, &batch.advisories, imported_at)?;
        Ok(report)
    }

    fn write(&mut self, report: &ImportReport, advisories: &[Advisory], imported_at: &str) -> Result<(), StoreError> {
        let path = &self.path;
        let tx = self.conn.transaction()?;
        let previous: Option<i64> = tx
            .query_row("SELECT id FROM sources WHERE location = ?1", [&report.location], |row| row.get(0))
            .optional()?;
        if let Some(source) = previous {
            tx.execute("DELETE FROM affected WHERE source_id = ?1", [source])?;
            tx.execute("DELETE FROM advisories WHERE source_id = ?1", [source])?;
            tx.execute("DELETE FROM sources WHERE id = ?1", [source])?;
        }
        tx.execute(
            "INSERT INTO sources (location, formats, imported_at, records, withdrawn, malformed, ecosystems)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            rusqlite::params![
                report.location,
                json(path, &report.formats)?,
                imported_at,
                int(report.records),
                int(report.withdrawn),
                int(report.malformed.len()),
                json(path, &report.ecosystems)?,
            ],
        )?;
        let source = tx.last_insert_rowid();
        {
            let mut insert_advisory = tx.prepare(
                "INSERT INTO advisories (source_id, id, aliases, summary, severity, published, modified, url)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut insert_affected = tx.prepare(
                "INSERT INTO affected (ecosystem, name, advisory_id, source_id, seq, ranges, versions, severity)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for a in advisories {
                insert_advisory.execute(rusqlite::params![
                    source,
                    a.id,
                    json(path, &a.aliases)?,
                    a.summary,
                    a.severity.as_ref().map(|r| json(path, r)).transpose()?,
                    a.published,
                    a.modified,
                    a.url,
                ])?;
            }
            // In primary-key order, so the clustered table grows by appending.
            let mut rows: Vec<(&Affected, &str, usize)> = advisories
                .iter()
                .flat_map(|a| a.affected.iter().enumerate().map(|(i, f)| (f, a.id.as_str(), i)))
                .collect();
            rows.sort_unstable_by(|x, y| {
                (&x.0.ecosystem, &x.0.name, x.1, x.2).cmp(&(&y.0.ecosystem, &y.0.name, y.1, y.2))
            });
            for (f, id, seq) in rows {
                insert_affected.execute(rusqlite::params![
                    f.ecosystem,
                    f.name,
                    id,
                    source,
                    int(seq),
                    json(path, &f.ranges)?,
                    json(path, &f.versions)?,
                    f.severity.as_ref().map(|r| json(path, r)).transpose()?,
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The imports recorded in the store, by location: what a scan prints as its data's
    /// provenance. Cheap (the small `sources` table only), unlike [`Store::status`]'s counts.
    pub fn sources(&self) -> Result<Vec<Provenance>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT location, formats, imported_at, records, withdrawn, malformed, ecosystems
             FROM sources ORDER BY location",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, i64>(4)?,
                row.get::<_, i64>(5)?,
                row.get::<_, String>(6)?,
            ))
        })?;
        let mut sources = Vec::new();
        for row in rows {
            let (location, formats, imported_at, records, withdrawn, malformed, ecosystems) = row?;
            sources.push(Provenance {
                formats: self.parse(&formats)?,
                ecosystems: self.parse(&ecosystems)?,
                location,
                imported_at,
                records: uint(records),
                withdrawn: uint(withdrawn),
                malformed: uint(malformed),
            });
        }
        Ok(sources)
    }

    /// What is loaded and from where.
    pub fn status(&self) -> Result<Status, StoreError> {
        let size_bytes = std::fs::metadata(&self.path)?.len();
        let advisories: i64 = self.conn.query_row("SELECT count(*) FROM advisories", [], |row| row.get(0))?;
        let affected: i64 = self.conn.query_row("SELECT count(*) FROM affected", [], |row| row.get(0))?;
        let sources = self.sources()?;
        Ok(Status {
            path: self.path.clone(),
            size_bytes,
            advisories: uint(advisories),
            affected: uint(affected),
            sources,
        })
    }

    /// Every stored record with this id (one per source that has it, by source location), with
    /// its affected list: what `caulk db show` and reports need beyond a match. Not indexed by
    /// id (lookups go by package); it reads the tables once, some milliseconds.
    pub fn advisory(&self, id: &str) -> Result<Vec<Advisory>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT a.source_id, a.id, a.aliases, a.summary, a.severity, a.published, a.modified, a.url
             FROM advisories a JOIN sources s ON s.id = a.source_id WHERE a.id = ?1 ORDER BY s.location",
        )?;
        let mut affected = self.conn.prepare(
            "SELECT ecosystem, name, ranges, versions, severity FROM affected
             WHERE source_id = ?1 AND advisory_id = ?2 ORDER BY seq",
        )?;
        let mut rows = statement.query([id])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            let source: i64 = row.get(0)?;
            let mut advisory = self.advisory_columns(row, 1)?;
            let mut affected_rows = affected.query(rusqlite::params![source, id])?;
            while let Some(row) = affected_rows.next()? {
                advisory.affected.push(self.affected_columns(row, 0)?);
            }
            found.push(advisory);
        }
        Ok(found)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The store as an [`AdvisorySource`] with its lookup query prepared once, so each of a
    /// scan's thousand lookups costs a seek and the rows it returns.
    pub fn lookup(&self) -> Result<Lookup<'_>, StoreError> {
        Ok(Lookup {
            store: self,
            statements: RefCell::new((self.conn.prepare(CANDIDATES)?, self.conn.prepare(ADVISORY)?)),
            seen: RefCell::new(HashMap::new()),
        })
    }

    fn candidates_with(
        &self,
        statements: &mut (rusqlite::Statement<'_>, rusqlite::Statement<'_>),
        seen: &mut Seen,
        ecosystem: &str,
        name: &str,
    ) -> Result<Vec<Candidate>, StoreError> {
        let (affected, advisory) = statements;
        let mut rows = affected.query([ecosystem, name])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            let id = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            let source: i64 = row.get(1)?;
            let shared = match seen.get(&source).and_then(|by_id| by_id.get(id)) {
                Some(a) => Arc::clone(a),
                None => {
                    // Rows are written with their advisory in one transaction; an orphan (a
                    // damaged file) is skipped like the join it replaces would.
                    let Some(a) = advisory
                        .query_row(rusqlite::params![source, id], |r| Ok(self.advisory_columns(r, 0)))
                        .optional()?
                    else {
                        continue;
                    };
                    let a = Arc::new(a?);
                    seen.entry(source).or_default().insert(id.to_owned(), Arc::clone(&a));
                    a
                }
            };
            found.push(Candidate { advisory: shared, affected: self.affected_columns(row, 2)? });
        }
        Ok(found)
    }

    /// The advisory in the seven columns from `first` on: id, aliases, summary, severity,
    /// published, modified, url.
    fn advisory_columns(&self, row: &rusqlite::Row<'_>, first: usize) -> Result<Advisory, StoreError> {
        let severity: Option<String> = row.get(first + 3)?;
        Ok(Advisory {
            id: row.get(first)?,
            aliases: self.parse(&row.get::<_, String>(first + 1)?)?,
            summary: row.get(first + 2)?,
            severity: severity.map(|s| self.parse(&s)).transpose()?,
            published: row.get(first + 4)?,
            modified: row.get(first + 5)?,
            url: row.get(first + 6)?,
            affected: Vec::new(),
        })
    }

    /// The affected entry in the five columns from `first` on: ecosystem, name, ranges,
    /// versions, severity.
    fn affected_columns(&self, row: &rusqlite::Row<'_>, first: usize) -> Result<Affected, StoreError> {
        let severity: Option<String> = row.get(first + 4)?;
        Ok(Affected {
            ecosystem: row.get(first)?,
            name: row.get(first + 1)?,
            ranges: self.parse(&row.get::<_, String>(first + 2)?)?,
            versions: self.parse(&row.get::<_, String>(first + 3)?)?,
            severity: severity.map(|s| self.parse(&s)).transpose()?,
        })
    }

    fn parse<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T, StoreError> {
        serde_json::from_str(text).map_err(|e| StoreError::Open {
            path: self.path.clone(),
            message: format!("damaged entry ({e}); rebuild it with `caulk db update`"),
        })
    }
}

impl AdvisorySource for Store {
    /// Prepares the query on every call (about 10 µs); a scan should look up through
    /// [`Store::lookup`], which prepares it once.
    fn candidates(&self, ecosystem: &str, name: &str) -> Result<Vec<Candidate>, StoreError> {
        let mut statements = (self.conn.prepare(CANDIDATES)?, self.conn.prepare(ADVISORY)?);
        self.candidates_with(&mut statements, &mut HashMap::new(), ecosystem, name)
    }

    fn ecosystems(&self) -> Result<Vec<String>, StoreError> {
        // Every import records its affected entries per ecosystem, in the same transaction as
        // the rows: the union of those is `SELECT DISTINCT ecosystem` without reading the rows.
        let mut statement = self.conn.prepare("SELECT ecosystems FROM sources")?;
        let mut rows = statement.query([])?;
        let mut ecosystems = std::collections::BTreeSet::new();
        while let Some(row) = rows.next()? {
            let counts: BTreeMap<String, usize> = self.parse(&row.get::<_, String>(0)?)?;
            ecosystems.extend(counts.into_iter().filter(|(_, n)| *n > 0).map(|(e, _)| e));
        }
        Ok(ecosystems.into_iter().collect())
    }
}

/// Lookups in a [`Store`] through one prepared statement (see [`Store::lookup`]).
#[derive(Debug)]
pub struct Lookup<'s> {
    store: &'s Store,
    /// The affected-rows query and the advisory query.
    statements: RefCell<(rusqlite::Statement<'s>, rusqlite::Statement<'s>)>,
    /// Advisories already read through this lookup.
    seen: RefCell<Seen>,
}

impl AdvisorySource for Lookup<'_> {
    fn candidates(&self, ecosystem: &str, name: &str) -> Result<Vec<Candidate>, StoreError> {
        self.store.candidates_with(&mut self.statements.borrow_mut(), &mut self.seen.borrow_mut(), ecosystem, name)
    }

    fn ecosystems(&self) -> Result<Vec<String>, StoreError> {
        self.store.ecosystems()
    }
}

/// The store's path given `$CAULK_CACHE_DIR` and the platform cache directory.
fn default_path_in(
    cache_dir: Option<std::ffi::OsString>,
    platform: impl FnOnce() -> Option<PathBuf>,
) -> Option<PathBuf> {
    match cache_dir {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir).join("advisories.db")),
        _ => platform().map(|dir| dir.join("caulk").join("advisories.db")),
    }
}

enum Schema {
    Current,
    /// A new file: no tables.
    Empty,
    /// An advisory store of another schema version.
    Other(i64),
    /// Some other SQLite database.
    Foreign,
}

fn schema_of(conn: &rusqlite::Connection) -> rusqlite::Result<Schema> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let tables: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table'", [], |row| row.get(0))?;
    let ours: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sources'", [], |row| {
            row.get(0)
        })?;
    Ok(match (version, tables, ours) {
        (SCHEMA_VERSION, _, 1) => Schema::Current,
        (_, 0, _) => Schema::Empty,
        (_, _, 1) => Schema::Other(version),
        _ => Schema::Foreign,
    })
}

/// Creates the tables after running `first` (dropping an older schema's), all or nothing.
fn create_schema(conn: &rusqlite::Connection, first: &str) -> rusqlite::Result<()> {
    conn.execute_batch(&format!("BEGIN; {first} {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"))
}

fn outdated(version: i64) -> String {
    format!(
        "written with schema version {version}, this caulk reads version {SCHEMA_VERSION}; \
         re-import the advisories (`caulk db update`) to rebuild it"
    )
}

/// The JSON text of a model value for a column (the model has no map keys or types that fail).
fn json<T: serde::Serialize + ?Sized>(path: &Path, value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Open { path: path.to_path_buf(), message: format!("cannot encode an entry: {e}") })
}

fn int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn uint(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_path_prefers_the_environment() {
        let platform = || Some(PathBuf::from("/home/u/.cache"));
        assert_eq!(default_path_in(Some("/tmp/c".into()), platform), Some(PathBuf::from("/tmp/c/advisories.db")));
        assert_eq!(
            default_path_in(Some("".into()), platform),
            Some(PathBuf::from("/home/u/.cache/caulk/advisories.db"))
        );
        assert_eq!(default_path_in(None, platform), Some(PathBuf::from("/home/u/.cache/caulk/advisories.db")));
        assert_eq!(default_path_in(None, || None), None);
    }
}
