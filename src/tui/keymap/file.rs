//! A keymap file read and checked: every mistake is named with its line, and what the file may
//! say instead (the sections and actions that exist, a "did you mean").
//!
//! Two rules hold whatever the user's file says: a key does one thing per section (a key bound
//! to two actions there is a mistake, not a silent winner), and Ctrl-C always interrupts (it
//! cancels a running export or publish, otherwise quits), so no keymap leaves the user stuck.

use std::collections::BTreeMap;
use std::fmt;

use crokey::KeyCombination;
use toml::de::{DeTable, DeValue};

use super::super::action::Action;
use super::names::{self, closest, name_of};
use super::{Context, key_text};

/// One action's keys in one section.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub context: Context,
    pub action: Action,
    pub keys: Vec<KeyCombination>,
    /// Its line in the user's file; `None` for the embedded default.
    pub line: Option<usize>,
}

/// What is wrong in a keymap file, most serious first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mistake {
    /// Not TOML at all (the parser's reason).
    Syntax(String),
    /// A key outside any section, or a section that is not a table.
    NotASection {
        name: String,
    },
    UnknownSection {
        name: String,
    },
    UnknownAction {
        section: Context,
        name: String,
    },
    NotAList {
        section: Context,
        action: Action,
    },
    BadKey {
        section: Context,
        action: Action,
        key: String,
        reason: String,
    },
    BoundTwice {
        section: Context,
        key: String,
        first: Action,
        second: Action,
        default: bool,
    },
    CtrlCTaken {
        section: Context,
        action: Action,
    },
    /// Not a mistake that stops the file: `interrupt` without Ctrl-C, which stays bound.
    CtrlCKept,
    /// Not a mistake that stops the file: an action listed in the section it had before the
    /// dialog's keys were split, read in the section that now has it.
    Moved {
        action: Action,
        from: Context,
        to: Context,
    },
}

/// A mistake and its line in the file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub line: Option<usize>,
    pub mistake: Mistake,
}

impl Problem {
    /// The names the file could have used, when the mistake is a name.
    pub fn known(&self) -> Option<String> {
        match self.mistake {
            Mistake::NotASection { .. } | Mistake::UnknownSection { .. } => Some(format!(
                "The sections: {}.",
                names::all::<Context>().join(", ")
            )),
            Mistake::UnknownAction { .. } => Some(format!(
                "The actions: {}.",
                names::all::<Action>().join(", ")
            )),
            _ => None,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        match &self.mistake {
            Mistake::Syntax(reason) => write!(f, "not valid TOML ({reason})"),
            Mistake::NotASection { name } => write!(
                f,
                "\"{name}\" is not a section; actions are listed under one, as in [browse] quit = [\"q\"]"
            ),
            Mistake::UnknownSection { name } => {
                write!(f, "there is no section [{name}]")?;
                did_you_mean(f, name, names::all::<Context>(), "[", "]")
            }
            Mistake::UnknownAction { section, name } => {
                write!(f, "no action \"{name}\" in [{}]", name_of(*section))?;
                did_you_mean(f, name, names::all::<Action>(), "\"", "\"")
            }
            Mistake::NotAList { section, action } => {
                let action = name_of(*action);
                write!(
                    f,
                    "{action} in [{}] is not a list of keys; write {action} = [\"x\"] ([] for none)",
                    name_of(*section)
                )
            }
            Mistake::BadKey {
                section,
                action,
                key,
                reason,
            } => write!(
                f,
                "{} in [{}]: \"{key}\" is not a key ({reason}); keys are written \"q\", \"ctrl-p\", \"shift-tab\", \"f1\", \"enter\"",
                name_of(*action),
                name_of(*section)
            ),
            Mistake::BoundTwice {
                section,
                key,
                first,
                second,
                default,
            } => {
                let section = name_of(*section);
                let (first, second) = (name_of(*first), name_of(*second));
                write!(
                    f,
                    "{key} is bound to both {first} and {second} in [{section}]; a key does one thing per section: give one of them another key"
                )?;
                if *default {
                    write!(
                        f,
                        " ({first} has it by default: list {first} in [{section}] with other keys, or [] for none)"
                    )?;
                }
                Ok(())
            }
            Mistake::CtrlCTaken { section, action } => write!(
                f,
                "Ctrl-C is bound to {} in [{}], but Ctrl-C always cancels or quits (it cannot be rebound); choose another key",
                name_of(*action),
                name_of(*section)
            ),
            Mistake::CtrlCKept => write!(
                f,
                "interrupt leaves out ctrl-c; Ctrl-C still cancels or quits (it cannot be unbound), the keys listed are added to it"
            ),
            Mistake::Moved { action, from, to } => write!(
                f,
                "{} in [{}] is read as [{}] (the export summary, where it works; the path box types every letter): move it there",
                name_of(*action),
                name_of(*from),
                name_of(*to)
            ),
        }
    }
}

fn did_you_mean(
    f: &mut fmt::Formatter<'_>,
    typed: &str,
    known: &'static [&'static str],
    open: &str,
    close: &str,
) -> fmt::Result {
    match closest(typed, known) {
        Some(name) => write!(f, " (did you mean {open}{name}{close}?)"),
        None => Ok(()),
    }
}

/// The entries of a keymap `text`; `user` says whether lines are counted (the user's file) or
/// not (the embedded default).
pub(super) fn entries(text: &str, user: bool) -> Result<Vec<Entry>, Vec<Problem>> {
    let line = |span: std::ops::Range<usize>| {
        user.then(|| text[..span.start.min(text.len())].matches('\n').count() + 1)
    };
    let table = DeTable::parse(text).map_err(|e| {
        vec![Problem {
            line: e.span().and_then(&line),
            mistake: Mistake::Syntax(e.message().trim().replace('\n', "; ")),
        }]
    })?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (section, value) in table.get_ref() {
        let name = section.get_ref().to_string();
        let Some(actions) = value.get_ref().as_table() else {
            problems.push(Problem {
                line: line(section.span()),
                mistake: Mistake::NotASection { name },
            });
            continue;
        };
        let Some(context) = names::parse::<Context>(&name) else {
            problems.push(Problem {
                line: line(section.span()),
                mistake: Mistake::UnknownSection { name },
            });
            continue;
        };
        for (action_name, keys) in actions {
            let at = line(action_name.span());
            let Some(action) = names::parse::<Action>(action_name.get_ref()) else {
                let name = action_name.get_ref().to_string();
                problems.push(Problem {
                    line: at,
                    mistake: Mistake::UnknownAction {
                        section: context,
                        name,
                    },
                });
                continue;
            };
            match key_list(keys.get_ref(), context, action) {
                Ok(keys) => out.push(Entry {
                    context,
                    action,
                    keys,
                    line: at,
                }),
                Err(mistake) => problems.push(Problem { line: at, mistake }),
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn key_list(
    value: &DeValue<'_>,
    section: Context,
    action: Action,
) -> Result<Vec<KeyCombination>, Mistake> {
    let not_a_list = || Mistake::NotAList { section, action };
    let list = value.as_array().ok_or_else(not_a_list)?;
    list.iter()
        .map(|item| {
            let key = item.get_ref().as_str().ok_or_else(not_a_list)?;
            crokey::parse(key)
                .map(KeyCombination::normalized)
                .map_err(|e| Mistake::BadKey {
                    section,
                    action,
                    key: key.to_string(),
                    reason: e.to_string(),
                })
        })
        .collect()
}

/// The default's entries with the user's on top (an action the user lists replaces its keys
/// in that section), checked: no key bound twice in a section, Ctrl-C always interrupting.
/// The problems that do not stop the file come back with the entries.
pub(super) fn merged(
    default: Vec<Entry>,
    user: Vec<Entry>,
) -> Result<(Vec<Entry>, Vec<Problem>), Vec<Problem>> {
    let mut by_place: BTreeMap<(Context, Action), Entry> = default
        .into_iter()
        .map(|e| ((e.context, e.action), e))
        .collect();
    let mut notes = Vec::new();
    for mut entry in user {
        if let Some(to) = moved(entry.context, entry.action) {
            notes.push(Problem {
                line: entry.line,
                mistake: Mistake::Moved {
                    action: entry.action,
                    from: entry.context,
                    to,
                },
            });
            entry.context = to;
        }
        by_place.insert((entry.context, entry.action), entry);
    }
    let ctrl_c = crokey::key!(ctrl - c).normalized();
    let mut problems = Vec::new();
    let mut owner: BTreeMap<(Context, KeyCombination), &Entry> = BTreeMap::new();
    for entry in by_place.values() {
        if entry.action != Action::Interrupt && entry.keys.contains(&ctrl_c) {
            problems.push(Problem {
                line: entry.line,
                mistake: Mistake::CtrlCTaken {
                    section: entry.context,
                    action: entry.action,
                },
            });
        }
        for key in &entry.keys {
            match owner.get(&(entry.context, *key)) {
                Some(first) if first.action != entry.action => {
                    // The user's binding is the one to point at; the other may be a default.
                    let (first, second) = if first.line.is_some() && entry.line.is_none() {
                        (entry, *first)
                    } else {
                        (*first, entry)
                    };
                    problems.push(Problem {
                        line: second.line,
                        mistake: Mistake::BoundTwice {
                            section: entry.context,
                            key: key_text(*key),
                            first: first.action,
                            second: second.action,
                            default: first.line.is_none(),
                        },
                    });
                }
                _ => {
                    owner.insert((entry.context, *key), entry);
                }
            }
        }
    }
    if !problems.is_empty() {
        problems.sort();
        return Err(problems);
    }
    let mut entries: Vec<Entry> = by_place.into_values().collect();
    let global_interrupt = entries
        .iter_mut()
        .find(|e| e.context == Context::Global && e.action == Action::Interrupt);
    match global_interrupt {
        Some(entry) if !entry.keys.contains(&ctrl_c) => {
            notes.push(Problem {
                line: entry.line,
                mistake: Mistake::CtrlCKept,
            });
            entry.keys.insert(0, ctrl_c);
        }
        Some(_) => {}
        None => entries.push(Entry {
            context: Context::Global,
            action: Action::Interrupt,
            keys: vec![ctrl_c],
            line: None,
        }),
    }
    Ok((entries, notes))
}

/// Where an action listed in an older keymap's section went when the dialogs got a section
/// each: `publish` was in `[export]`, where the path box now types every letter; it works in
/// the export summary, `[exported]`.
fn moved(context: Context, action: Action) -> Option<Context> {
    (context == Context::Export && action == Action::Publish).then_some(Context::Exported)
}
