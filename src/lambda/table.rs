//! The runtime table: the embedded `assets/lambda-runtimes.json`, merged with the user's own
//! `runtimes.json` (same format; every key optional) so a moved date or a new runtime needs no
//! new release of wheelbarrow.
//!
//! A user file that cannot be used is never ignored silently: [`RuntimeTable::load`] returns
//! the built-in table with a [`TableNotice`] naming the file and what is wrong, for the front end
//! to say once.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::clock::{days_between, is_iso_date};
use super::{Arch, Glibc, Limits, Runtime, RuntimeTable};

const RUNTIMES_JSON: &str = include_str!("../../assets/lambda-runtimes.json");

/// After this many days the table's dates are said to be possibly out of date.
pub const STALE_AFTER_DAYS: i64 = 180;

/// The largest user table read (a runtime table is a few kilobytes).
const USER_FILE_LIMIT: u64 = 1024 * 1024;

#[derive(Deserialize)]
struct RawTable {
    as_of: String,
    limits: Limits,
    runtime_provided_packages: Vec<String>,
    #[serde(default)]
    os_notes: Vec<OsNote>,
    runtimes: Vec<RawRuntime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OsNote {
    os: String,
    note: String,
}

#[derive(Deserialize)]
struct RawRuntime {
    name: String,
    os: String,
    glibc: String,
    architectures: Vec<Arch>,
    deprecation: Option<String>,
    block_create: Option<String>,
    block_update: Option<String>,
    note: Option<String>,
}

/// The user's file: the asset's format with every key optional, and no unknown keys (a
/// misspelt `deprecaton` is refused, not ignored).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserTable {
    #[serde(default)]
    #[allow(dead_code)] // read so that a copy of the asset is accepted as it is
    about: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    dates_source: Option<String>,
    as_of: Option<String>,
    limits: Option<Limits>,
    runtime_provided_packages: Option<Vec<String>>,
    os_notes: Option<Vec<OsNote>>,
    #[serde(default)]
    runtimes: Vec<UserRuntime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserRuntime {
    name: String,
    os: Option<String>,
    glibc: Option<String>,
    architectures: Option<Vec<Arch>>,
    deprecation: Option<String>,
    block_create: Option<String>,
    block_update: Option<String>,
    note: Option<String>,
}

/// The user's runtime table could not be used; the built-in one is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableNotice {
    pub path: PathBuf,
    /// What is wrong, in words ("line 4, column 7: unknown field `deprecaton` …").
    pub reason: String,
    /// The built-in table's date.
    pub builtin_as_of: String,
}

impl fmt::Display for TableNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}. Using the built-in runtime table (dates as of {}); fix the file or remove it.",
            self.path.display(),
            self.reason,
            self.builtin_as_of
        )
    }
}

/// The table's dates are older than [`STALE_AFTER_DAYS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staleness {
    pub as_of: String,
    pub days: i64,
    /// Where the user's table goes.
    pub user_file: Option<PathBuf>,
}

impl fmt::Display for Staleness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the runtime dates are as of {} ({} days ago): AWS may have moved them since. Check AWS's \
             Lambda runtimes page and put newer dates in ",
            self.as_of, self.days
        )?;
        match &self.user_file {
            Some(path) => write!(f, "{}", path.display())?,
            None => f.write_str("runtimes.json in wheelbarrow's config folder")?,
        }
        f.write_str(" (`wheelbarrow runtimes --path` says how)")
    }
}

impl RuntimeTable {
    /// The table embedded from `assets/lambda-runtimes.json`.
    ///
    /// # Panics
    /// Never at run time for a released binary: the embedded asset is checked by a unit test.
    pub fn builtin() -> RuntimeTable {
        RuntimeTable::from_json(RUNTIMES_JSON).expect("assets/lambda-runtimes.json is valid")
    }

    /// The table the apps use: the built-in one merged with the user's `runtimes.json` when
    /// there is one; a file that cannot be used gives the built-in table and a notice.
    pub fn load() -> (RuntimeTable, Option<TableNotice>) {
        RuntimeTable::load_from(RuntimeTable::user_path().as_deref())
    }

    /// As [`RuntimeTable::load`], with the user's file at `path` (none: the built-in table).
    pub fn load_from(path: Option<&Path>) -> (RuntimeTable, Option<TableNotice>) {
        let builtin = RuntimeTable::builtin();
        let Some(path) = path else {
            return (builtin, None);
        };
        let read = crate::config_file::read_config_file(path, USER_FILE_LIMIT, "a runtime table");
        let merged = read.and_then(|text| match text {
            None => Ok(None),
            Some(text) => builtin.clone().merged(&text).map(Some),
        });
        match merged {
            Ok(None) => (builtin, None),
            Ok(Some(mut table)) => {
                table.user_file = Some(path.to_path_buf());
                (table, None)
            }
            Err(reason) => {
                let notice = TableNotice {
                    path: path.to_path_buf(),
                    reason,
                    builtin_as_of: builtin.as_of.clone(),
                };
                (builtin, Some(notice))
            }
        }
    }

    /// Where the user's runtime table goes: `runtimes.json` in wheelbarrow's config folder.
    pub fn user_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "wheelbarrow")
            .map(|d| d.config_dir().join("runtimes.json"))
    }

    /// Whether the dates are older than [`STALE_AFTER_DAYS`] on `today`.
    pub fn staleness(&self, today: &str) -> Option<Staleness> {
        let days = days_between(&self.as_of, today)?;
        (days > STALE_AFTER_DAYS).then(|| Staleness {
            as_of: self.as_of.clone(),
            days,
            user_file: self.user_file.clone().or_else(RuntimeTable::user_path),
        })
    }

    /// "as of 2026-12-04", with the user's file named when it changed the table.
    pub fn as_of_words(&self) -> String {
        match &self.user_file {
            Some(path) => format!("as of {} (with {})", self.as_of, path.display()),
            None => format!("as of {}", self.as_of),
        }
    }

    /// Reads a table in the format of `assets/lambda-runtimes.json`.
    pub fn from_json(text: &str) -> Result<RuntimeTable, String> {
        let raw: RawTable = serde_json::from_str(text).map_err(|e| e.to_string())?;
        check_date("as_of", &raw.as_of)?;
        let mut runtimes = Vec::with_capacity(raw.runtimes.len());
        for r in raw.runtimes {
            runtimes.push(runtime_of(
                r.name,
                r.os,
                &r.glibc,
                r.architectures,
                [r.deprecation, r.block_create, r.block_update],
                r.note,
            )?);
        }
        if runtimes.is_empty() {
            return Err("the runtime table lists no runtimes".into());
        }
        runtimes.sort_by_key(|r| r.python_minor);
        Ok(RuntimeTable {
            runtimes,
            limits: raw.limits,
            runtime_provided: normalized(&raw.runtime_provided_packages),
            as_of: raw.as_of,
            os_notes: raw.os_notes.into_iter().map(|n| (n.os, n.note)).collect(),
            user_file: None,
        })
    }

    /// This table with the user's file on top: runtimes replaced field by field or added by
    /// name, and any other key given replacing the table's.
    fn merged(mut self, text: &str) -> Result<RuntimeTable, String> {
        let user: UserTable = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if let Some(as_of) = user.as_of {
            check_date("as_of", &as_of)?;
            self.as_of = as_of;
        }
        if let Some(limits) = user.limits {
            self.limits = limits;
        }
        if let Some(provided) = user.runtime_provided_packages {
            self.runtime_provided = normalized(&provided);
        }
        if let Some(notes) = user.os_notes {
            self.os_notes = notes.into_iter().map(|n| (n.os, n.note)).collect();
        }
        for u in user.runtimes {
            let name = u.name.trim().to_ascii_lowercase();
            let merged = match self.runtimes.iter().find(|r| r.name == name) {
                Some(r) => runtime_of(
                    name.clone(),
                    u.os.unwrap_or_else(|| r.os.clone()),
                    &u.glibc.unwrap_or_else(|| r.glibc.to_string()),
                    u.architectures.unwrap_or_else(|| r.architectures.clone()),
                    [
                        u.deprecation.or_else(|| r.deprecation.clone()),
                        u.block_create.or_else(|| r.block_create.clone()),
                        u.block_update.or_else(|| r.block_update.clone()),
                    ],
                    u.note.or_else(|| r.note.clone()),
                )?,
                None => {
                    let (Some(os), Some(glibc), Some(architectures)) =
                        (u.os, u.glibc, u.architectures)
                    else {
                        return Err(format!(
                            "{name} is not in the built-in table, so it needs \"os\", \"glibc\" and \"architectures\" as well as its dates"
                        ));
                    };
                    runtime_of(
                        name.clone(),
                        os,
                        &glibc,
                        architectures,
                        [u.deprecation, u.block_create, u.block_update],
                        u.note,
                    )?
                }
            };
            self.runtimes.retain(|r| r.name != name);
            self.runtimes.push(merged);
        }
        self.runtimes.sort_by_key(|r| r.python_minor);
        Ok(self)
    }
}

/// One runtime, checked: its name is `python3.N`, its glibc `N.N`, it has an architecture, and
/// its dates are real days in order (deprecation, then creation blocked, then updates blocked).
fn runtime_of(
    name: String,
    os: String,
    glibc: &str,
    architectures: Vec<Arch>,
    [deprecation, block_create, block_update]: [Option<String>; 3],
    note: Option<String>,
) -> Result<Runtime, String> {
    let python_minor = name
        .strip_prefix("python3.")
        .and_then(|m| m.parse().ok())
        .ok_or_else(|| format!("runtime name {name:?} is not python3.N"))?;
    let glibc = Glibc::parse(glibc).ok_or_else(|| format!("{name}: glibc {glibc:?} is not N.N"))?;
    if architectures.is_empty() {
        return Err(format!(
            "{name}: \"architectures\" is empty (x86_64, arm64)"
        ));
    }
    let dates = [
        ("deprecation", &deprecation),
        ("block_create", &block_create),
        ("block_update", &block_update),
    ];
    for (key, date) in dates {
        if let Some(d) = date {
            check_date(&format!("{name}: {key}"), d)?;
        }
    }
    let given: Vec<(&str, &String)> = dates
        .iter()
        .filter_map(|(k, d)| d.as_ref().map(|d| (*k, d)))
        .collect();
    for pair in given.windows(2) {
        if pair[1].1 < pair[0].1 {
            return Err(format!(
                "{name}: {} {} comes before {} {} (AWS deprecates first, then blocks creating, then updating)",
                pair[1].0, pair[1].1, pair[0].0, pair[0].1
            ));
        }
    }
    Ok(Runtime {
        name,
        python_minor,
        os,
        glibc,
        architectures,
        deprecation,
        block_create,
        block_update,
        note,
    })
}

fn check_date(what: &str, date: &str) -> Result<(), String> {
    if is_iso_date(date) {
        Ok(())
    } else {
        Err(format!("{what} {date:?} is not a date written YYYY-MM-DD"))
    }
}

fn normalized(names: &[String]) -> Vec<String> {
    names
        .iter()
        .map(|n| crate::name::normalize_name(n))
        .collect()
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
