//! Keys as data: the default keymap (`assets/keymap.toml`, embedded) with the user's file on top.
//!
//! A key is looked up in the most specific context first: the dialog or pane, then `browse`
//! (every pane but the search box, so that letters typed there stay letters), then `global`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crokey::KeyCombination;
use serde::Deserialize;

use super::action::Action;

const DEFAULT: &str = include_str!("../../assets/keymap.toml");

/// Where a key is pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Context {
    Global,
    Browse,
    Search,
    Package,
    Layer,
    Tree,
    /// The export dialog while its path is typed (every letter types).
    Export,
    /// The export dialog once the zip is written: its summary, and publishing it.
    Exported,
    /// The target picker: Enter (kept in this section, as before the picker had its own).
    Target,
    /// The target picker's own keys, then `target`.
    Picker,
    Reserve,
    Save,
    Versions,
    Matrix,
    Add,
    Open,
    Help,
    Detail,
}

impl Context {
    /// The contexts consulted for a key pressed here, most specific first.
    fn chain(self) -> &'static [Context] {
        match self {
            Context::Search => &[Context::Search, Context::Global],
            Context::Package => &[Context::Package, Context::Browse, Context::Global],
            Context::Layer => &[Context::Layer, Context::Browse, Context::Global],
            Context::Tree => &[Context::Tree, Context::Browse, Context::Global],
            Context::Export => &[Context::Export, Context::Global],
            Context::Exported => &[Context::Exported, Context::Global],
            Context::Target => &[Context::Target, Context::Global],
            Context::Picker => &[Context::Picker, Context::Target, Context::Global],
            Context::Reserve => &[Context::Reserve, Context::Global],
            Context::Save => &[Context::Save, Context::Global],
            Context::Versions => &[Context::Versions, Context::Global],
            Context::Matrix => &[Context::Matrix, Context::Global],
            Context::Add => &[Context::Add, Context::Global],
            Context::Open => &[Context::Open, Context::Global],
            Context::Help => &[Context::Help, Context::Global],
            Context::Detail => &[Context::Detail, Context::Global],
            Context::Browse => &[Context::Browse, Context::Global],
            Context::Global => &[Context::Global],
        }
    }
}

mod file;
mod names;

pub use file::Problem;

/// The largest keymap file read (the default is under 2 KB).
const USER_FILE_LIMIT: u64 = 64 * 1024;

/// The bindings, per context, in the order of [`Action`].
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Context, Vec<(Action, Vec<KeyCombination>)>>,
    /// The user's file: where it is read from, whether or not it exists or could be used.
    pub user_file: Option<PathBuf>,
    /// What is wrong with the user's file, in full (the help screen shows it).
    pub problem: Option<String>,
}

impl Keymap {
    /// The embedded default.
    ///
    /// # Panics
    /// If the embedded file is broken (a test checks that it is not).
    pub fn builtin() -> Keymap {
        Keymap::from_toml(DEFAULT, None)
            .expect("the embedded keymap parses")
            .0
    }

    /// The default with `user` (a TOML text in the same format) on top, and what in the user's
    /// text does not stop it being used (Ctrl-C left out of `interrupt`, and kept).
    ///
    /// # Errors
    /// Every mistake in `user`, with its line, most serious first.
    pub fn from_toml(
        default: &str,
        user: Option<&str>,
    ) -> Result<(Keymap, Vec<Problem>), Vec<Problem>> {
        let default = file::entries(default, false)?;
        let user = match user {
            Some(text) => file::entries(text, true)?,
            None => Vec::new(),
        };
        let (entries, notes) = file::merged(default, user)?;
        let mut bindings: BTreeMap<Context, Vec<(Action, Vec<KeyCombination>)>> = BTreeMap::new();
        for entry in entries {
            bindings
                .entry(entry.context)
                .or_default()
                .push((entry.action, entry.keys));
        }
        for list in bindings.values_mut() {
            list.sort_by_key(|(action, _)| *action);
        }
        let keymap = Keymap {
            bindings,
            user_file: None,
            problem: None,
        };
        Ok((keymap, notes))
    }

    /// The default with the user's file at `path` on top, when there is one; and what is wrong
    /// with that file in a line for the status line (the file's name, the first mistake and
    /// its line). The whole message, with the file's path, every mistake and the names the file
    /// may use, is kept in [`Keymap::problem`] for the help screen. A file that cannot be used
    /// leaves the default keys.
    pub fn load(path: Option<&Path>) -> (Keymap, Option<String>) {
        const UNUSED: &str = "the default keys are used until it is fixed";
        let Some(path) = path else {
            return (Keymap::builtin(), None);
        };
        let clean = |text: &str| wheelbarrow::text::clean(text).into_owned();
        let shown = clean(&path.display().to_string());
        let name = path
            .file_name()
            .map_or_else(|| shown.clone(), |n| clean(&n.to_string_lossy()));
        let read = wheelbarrow::config_file::read_config_file(path, USER_FILE_LIMIT, "a keymap");
        let (mut keymap, problem) = match read {
            Ok(None) => (Keymap::builtin(), None),
            Err(reason) => (
                Keymap::builtin(),
                Some((
                    format!("{shown} {reason}; {UNUSED} or removed."),
                    format!("{name} {reason}; default keys in use (F1 says more)"),
                )),
            ),
            Ok(Some(text)) => match Keymap::from_toml(DEFAULT, Some(&text)) {
                Ok((keymap, notes)) if notes.is_empty() => (keymap, None),
                Ok((keymap, notes)) => (
                    keymap,
                    Some((
                        described(&shown, &notes, "the rest of the file is used"),
                        format!("{name} {}", notes[0]),
                    )),
                ),
                Err(problems) => (
                    Keymap::builtin(),
                    Some((
                        described(&shown, &problems, UNUSED),
                        format!("{name} {}; default keys in use (F1 says more)", problems[0]),
                    )),
                ),
            },
        };
        keymap.user_file = Some(path.to_path_buf());
        let (full, short) = problem.unzip();
        keymap.problem = full;
        (keymap, short)
    }

    /// Where the user's keymap file goes.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "wheelbarrow")
            .map(|d| d.config_dir().join("keymap.toml"))
    }

    /// The action bound to `key` in `context`, if any.
    pub fn action(&self, context: Context, key: KeyCombination) -> Option<Action> {
        let key = key.normalized();
        context.chain().iter().find_map(|c| {
            self.bindings
                .get(c)?
                .iter()
                .find_map(|(action, keys)| keys.contains(&key).then_some(*action))
        })
    }

    /// Bindings that apply in `context`, most specific first, each action once (the binding
    /// that wins), with its keys as text; a key a more specific context takes is not listed
    /// for a less specific one (in the picker Tab marks, it does not move the focus).
    pub fn bindings(&self, context: Context) -> Vec<(Action, Vec<String>)> {
        let mut seen = Vec::new();
        let mut taken: Vec<KeyCombination> = Vec::new();
        let mut out = Vec::new();
        for c in context.chain() {
            let mut here = Vec::new();
            for (action, keys) in self.bindings.get(c).into_iter().flatten() {
                let free: Vec<KeyCombination> = keys
                    .iter()
                    .filter(|k| !taken.contains(k))
                    .copied()
                    .collect();
                if seen.contains(action) || free.is_empty() {
                    continue;
                }
                seen.push(*action);
                here.extend(free.iter().copied());
                out.push((*action, free.iter().map(|k| key_text(*k)).collect()));
            }
            taken.extend(here);
        }
        out
    }

    /// The first key that does `action` in `context` (as the footer shows it), if any does.
    pub fn key_for(&self, context: Context, action: Action) -> Option<String> {
        self.bindings(context)
            .into_iter()
            .find(|(a, _)| *a == action)
            .and_then(|(_, keys)| keys.into_iter().next())
    }

    /// Short hints for the footer: `key action` pairs, the context's own first.
    #[cfg(test)]
    pub fn hints(&self, context: Context) -> Vec<(String, &'static str)> {
        self.hints_for(context, |_| true)
    }

    /// The footer hints of the actions `applies` keeps (what does something now).
    pub fn hints_for(
        &self,
        context: Context,
        applies: impl Fn(Action) -> bool,
    ) -> Vec<(String, &'static str)> {
        const SKIP: [Action; 4] = [Action::Up, Action::Down, Action::PageUp, Action::PageDown];
        self.bindings(context)
            .into_iter()
            .filter(|(a, _)| !SKIP.contains(a) && applies(*a))
            .map(|(a, keys)| (keys[0].clone(), a.hint()))
            .collect()
    }
}

/// A key as the footer and help show it (`Ctrl-c`, `Enter`, `Shift-Tab`).
pub fn key_text(key: KeyCombination) -> String {
    let text = key.to_string();
    match text.as_str() {
        "BackTab" | "Shift-BackTab" => "Shift-Tab".into(),
        _ => match text.strip_prefix("Ctrl-") {
            Some(letter) if letter.len() == 1 => format!("Ctrl-{}", letter.to_uppercase()),
            _ => text,
        },
    }
}

/// `problems` of the file `path` in one message: the first, what follows from it, the others,
/// then the names the file could have used.
fn described(path: &str, problems: &[Problem], consequence: &str) -> String {
    let mut text = format!("{path} {}; {consequence}.", problems[0]);
    for other in &problems[1..] {
        text = format!("{text} Also {other}.");
    }
    let mut known: Vec<String> = problems.iter().filter_map(Problem::known).collect();
    known.sort();
    known.dedup();
    for names in known {
        text.push(' ');
        text.push_str(&names);
    }
    text
}

#[cfg(test)]
mod tests;
