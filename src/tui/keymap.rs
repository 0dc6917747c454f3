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
    Export,
    Target,
    Matrix,
    Add,
    Help,
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
            Context::Target => &[Context::Target, Context::Global],
            Context::Matrix => &[Context::Matrix, Context::Global],
            Context::Add => &[Context::Add, Context::Global],
            Context::Help => &[Context::Help, Context::Global],
            Context::Browse => &[Context::Browse, Context::Global],
            Context::Global => &[Context::Global],
        }
    }
}

type Raw = BTreeMap<Context, BTreeMap<Action, Vec<String>>>;

/// The bindings, per context, in the order the file gives them.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Context, Vec<(Action, Vec<KeyCombination>)>>,
    /// The user's file, when one was read.
    pub user_file: Option<PathBuf>,
}

impl Keymap {
    /// The embedded default.
    ///
    /// # Panics
    /// If the embedded file is broken (a test checks that it is not).
    pub fn builtin() -> Keymap {
        Keymap::from_toml(DEFAULT, None).expect("the embedded keymap parses")
    }

    /// The default with `user` (a TOML text in the same format) on top.
    pub fn from_toml(default: &str, user: Option<&str>) -> Result<Keymap, String> {
        let mut raw: Raw = toml::from_str(default).map_err(|e| e.to_string())?;
        if let Some(user) = user {
            let overrides: Raw = toml::from_str(user).map_err(|e| e.to_string())?;
            for (context, actions) in overrides {
                raw.entry(context).or_default().extend(actions);
            }
        }
        let mut bindings = BTreeMap::new();
        for (context, actions) in raw {
            let mut list = Vec::new();
            for (action, keys) in actions {
                let keys = keys
                    .iter()
                    .map(|k| {
                        crokey::parse(k)
                            .map(KeyCombination::normalized)
                            .map_err(|e| format!("[{context:?}] {action:?}: {e}"))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                list.push((action, keys));
            }
            bindings.insert(context, list);
        }
        Ok(Keymap {
            bindings,
            user_file: None,
        })
    }

    /// The default with the user's file (if `path` exists) on top. A broken user file is
    /// reported and the default used.
    pub fn load(path: Option<&Path>) -> (Keymap, Option<String>) {
        let Some(path) = path else {
            return (Keymap::builtin(), None);
        };
        let Ok(text) = std::fs::read_to_string(path) else {
            let mut keymap = Keymap::builtin();
            keymap.user_file = Some(path.to_path_buf());
            return (keymap, None);
        };
        match Keymap::from_toml(DEFAULT, Some(&text)) {
            Ok(mut keymap) => {
                keymap.user_file = Some(path.to_path_buf());
                (keymap, None)
            }
            Err(e) => (
                Keymap::builtin(),
                Some(format!("{}: {e}; using the default keys", path.display())),
            ),
        }
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
    /// that wins), with its keys as text.
    pub fn bindings(&self, context: Context) -> Vec<(Action, Vec<String>)> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for c in context.chain() {
            for (action, keys) in self.bindings.get(c).into_iter().flatten() {
                if seen.contains(action) || keys.is_empty() {
                    continue;
                }
                seen.push(*action);
                out.push((*action, keys.iter().map(|k| key_text(*k)).collect()));
            }
        }
        out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crokey::key;

    #[test]
    fn the_embedded_keymap_parses_and_binds_the_documented_keys() {
        let keymap = Keymap::builtin();
        assert_eq!(
            keymap.action(Context::Search, key!(enter)),
            Some(Action::Open)
        );
        assert_eq!(
            keymap.action(Context::Package, key!(enter)),
            Some(Action::Pick)
        );
        assert_eq!(keymap.action(Context::Package, key!(q)), Some(Action::Quit));
        assert_eq!(keymap.action(Context::Search, key!(q)), None);
        assert_eq!(
            keymap.action(Context::Search, key!(ctrl - c)),
            Some(Action::Interrupt)
        );
        assert_eq!(
            keymap.action(Context::Search, key!(ctrl - n)),
            Some(Action::Down)
        );
        assert_eq!(keymap.action(Context::Layer, key!(f1)), Some(Action::Help));
    }

    #[test]
    fn a_user_file_replaces_the_keys_of_the_actions_it_names_and_keeps_the_rest() {
        let keymap = Keymap::from_toml(DEFAULT, Some("[browse]\nquit = [\"x\"]\n")).unwrap();
        assert_eq!(keymap.action(Context::Tree, key!(x)), Some(Action::Quit));
        assert_eq!(keymap.action(Context::Tree, key!(q)), None);
        assert_eq!(keymap.action(Context::Tree, key!(e)), Some(Action::Export));
    }

    #[test]
    fn a_broken_user_file_is_reported_and_the_default_used() {
        let dir = std::env::temp_dir().join(format!("wb-keymap-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("keymap.toml");
        std::fs::write(&path, "[browse]\nquit = [\"no-such-key-name\"]\n").unwrap();
        let (keymap, problem) = Keymap::load(Some(&path));
        assert!(problem.unwrap().contains("using the default keys"));
        assert_eq!(keymap.action(Context::Tree, key!(q)), Some(Action::Quit));
    }

    #[test]
    fn hints_put_the_context_first_and_name_each_action_once() {
        let hints = Keymap::builtin().hints(Context::Package);
        assert_eq!(hints[0], ("Enter".to_string(), "pick"));
        let helps = hints.iter().filter(|(_, h)| *h == "help").count();
        assert_eq!(helps, 1);
    }
}
