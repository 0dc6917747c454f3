use super::file::Mistake;
use super::*;
use crokey::key;

/// A fresh folder for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wb-keymap-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The keymap `load` gives for a user file holding `text`, its whole message (for the help
/// screen) and the file's path; the status line's message is checked to be the start of it.
fn load_text(name: &str, text: &str) -> (Keymap, String, PathBuf) {
    let path = scratch(name).join("keymap.toml");
    std::fs::write(&path, text).unwrap();
    let (keymap, status) = Keymap::load(Some(&path));
    let message = keymap.problem.clone().unwrap_or_default();
    let status = status.unwrap_or_default();
    let first = message.split(';').next().unwrap();
    assert!(
        first.ends_with(status.split(';').next().unwrap()),
        "the status line leads with the first mistake: {status:?} / {message:?}"
    );
    (keymap, message, path)
}

/// The mistakes `from_toml` finds in a user text.
fn mistakes(user: &str) -> Vec<Problem> {
    Keymap::from_toml(DEFAULT, Some(user)).unwrap_err()
}

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
fn the_embedded_keymap_has_no_mistake_and_no_note() {
    let (_, notes) = Keymap::from_toml(DEFAULT, None).unwrap();
    assert_eq!(notes, []);
}

#[test]
fn a_user_file_replaces_the_keys_of_the_actions_it_names_and_keeps_the_rest() {
    let (keymap, notes) = Keymap::from_toml(DEFAULT, Some("[browse]\nquit = [\"x\"]\n")).unwrap();
    assert_eq!(notes, []);
    assert_eq!(keymap.action(Context::Tree, key!(x)), Some(Action::Quit));
    assert_eq!(keymap.action(Context::Tree, key!(q)), None);
    assert_eq!(keymap.action(Context::Tree, key!(e)), Some(Action::Export));
}

#[test]
fn an_unknown_action_is_named_with_its_file_line_a_suggestion_and_every_action() {
    let (keymap, message, path) = load_text("action", "# mine\n[browse]\nquti = [\"x\"]\n");
    assert!(
        message.starts_with(&format!(
            "{} line 3: no action \"quti\" in [browse] (did you mean \"quit\"?); the default keys are used until it is fixed.",
            path.display()
        )),
        "{message}"
    );
    assert!(
        message.contains("The actions: quit, interrupt, help, back, next-pane"),
        "{message}"
    );
    assert!(
        !message.contains('\n'),
        "one line for the status line: {message}"
    );
    assert_eq!(keymap.action(Context::Tree, key!(q)), Some(Action::Quit));
    assert_eq!(keymap.user_file.as_deref(), Some(path.as_path()));
}

#[test]
fn an_unknown_section_is_named_with_its_line_a_suggestion_and_every_section() {
    let (_, message, _) = load_text("section", "[brwose]\nquit = [\"x\"]\n");
    assert!(
        message.contains(" line 1: there is no section [brwose] (did you mean [browse]?); the default keys are used"),
        "{message}"
    );
    assert!(
        message.contains("The sections: global, browse, search, package"),
        "{message}"
    );
    let problems = mistakes("quit = [\"x\"]\n");
    assert_eq!(
        problems[0].mistake,
        Mistake::NotASection {
            name: "quit".into()
        }
    );
}

#[test]
fn a_toml_syntax_error_gives_its_line_and_reason_on_one_line() {
    let (_, message, _) = load_text("syntax", "[browse]\nquit = [\"x\"\n");
    assert!(message.contains(" line 2: not valid TOML ("), "{message}");
    assert!(
        !message.contains('\n') && !message.contains('|'),
        "{message}"
    );
}

#[test]
fn a_key_that_is_not_a_key_and_a_value_that_is_not_a_list_are_named() {
    let problems = mistakes("[browse]\nquit = [\"no-such-key-name\"]\nsave = \"s\"\n");
    assert_eq!(problems.len(), 2);
    assert!(
        matches!(&problems[0].mistake, Mistake::BadKey { key, .. } if key == "no-such-key-name")
    );
    assert_eq!(problems[0].line, Some(2));
    assert_eq!(
        problems[1].to_string(),
        "line 3: save in [browse] is not a list of keys; write save = [\"x\"] ([] for none)"
    );
}

#[test]
fn every_mistake_in_the_file_is_reported_not_only_the_first() {
    let (_, message, _) = load_text(
        "several",
        "[browse]\nquti = [\"x\"]\n\n[serach]\nup = [\"k\"]\n",
    );
    assert!(
        message.contains("line 2: no action \"quti\" in [browse]"),
        "{message}"
    );
    assert!(
        message.contains("Also line 4: there is no section [serach] (did you mean [search]?)."),
        "{message}"
    );
}

#[test]
fn a_key_bound_to_two_actions_in_one_section_is_reported() {
    // `s` is `save`'s by default in [browse]: giving it to `matrix` too is a clash.
    let problems = mistakes("[browse]\nmatrix = [\"s\"]\n");
    assert_eq!(
        problems[0].to_string(),
        "line 2: s is bound to both save and matrix in [browse]; a key does one thing per section: give one of them another key (save has it by default: list save in [browse] with other keys, or [] for none)"
    );
    // Both in the user's file.
    let problems = mistakes("[layer]\ndetails = [\"z\"]\nunpick = [\"z\"]\n");
    assert!(matches!(
        problems[0].mistake,
        Mistake::BoundTwice { default: false, .. }
    ));
    // Moving the default away first is fine; a more specific section may shadow another.
    let (keymap, _) = Keymap::from_toml(
        DEFAULT,
        Some("[browse]\nsave = [\"w\"]\nmatrix = [\"s\"]\n[package]\nversions = [\"q\"]\n"),
    )
    .unwrap();
    assert_eq!(keymap.action(Context::Layer, key!(s)), Some(Action::Matrix));
    assert_eq!(
        keymap.action(Context::Package, key!(q)),
        Some(Action::Versions)
    );
}

#[test]
fn ctrl_c_still_interrupts_everywhere_when_the_file_unbinds_quit_and_interrupt() {
    let (keymap, message, _) =
        load_text("stuck", "[global]\ninterrupt = []\n[browse]\nquit = []\n");
    assert!(
        message.contains(" line 2: interrupt leaves out ctrl-c; Ctrl-C still cancels or quits (it cannot be unbound), the keys listed are added to it; the rest of the file is used."),
        "{message}"
    );
    for context in names::all::<Context>() {
        let context = names::parse::<Context>(context).unwrap();
        assert_eq!(
            keymap.action(context, key!(ctrl - c)),
            Some(Action::Interrupt),
            "{context:?}"
        );
    }
    assert_eq!(
        keymap.action(Context::Tree, key!(q)),
        None,
        "the rest of the file is used"
    );
}

#[test]
fn ctrl_c_cannot_be_given_to_another_action() {
    let problems = mistakes("[search]\nopen = [\"enter\", \"ctrl-c\"]\n");
    assert_eq!(
        problems[0].to_string(),
        "line 2: Ctrl-C is bound to open in [search], but Ctrl-C always cancels or quits (it cannot be rebound); choose another key"
    );
}

#[test]
fn only_a_regular_file_of_bounded_size_is_read() {
    let dir = scratch("kinds");
    // A folder where the file goes.
    let folder = dir.join("folder.toml");
    std::fs::create_dir_all(&folder).unwrap();
    let (keymap, status) = Keymap::load(Some(&folder));
    assert_eq!(
        status.as_deref(),
        Some("folder.toml is not a regular file; default keys in use (F1 says more)")
    );
    assert_eq!(
        keymap.problem,
        Some(format!(
            "{} is not a regular file; the default keys are used until it is fixed or removed.",
            folder.display()
        ))
    );
    assert_eq!(keymap.action(Context::Tree, key!(q)), Some(Action::Quit));
    // Too large: refused before it is read.
    let big = dir.join("big.toml");
    std::fs::write(&big, "#".repeat(70_000)).unwrap();
    let problem = Keymap::load(Some(&big)).1.unwrap();
    assert!(
        problem.contains("big.toml is 70000 bytes, more than a keymap can be (65536 bytes)"),
        "{problem}"
    );
    // No file at all: the default, and nothing to say.
    let (keymap, problem) = Keymap::load(Some(&dir.join("absent.toml")));
    assert_eq!(problem, None);
    assert_eq!(keymap.user_file, Some(dir.join("absent.toml")));
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_keymap_is_refused_without_being_opened() {
    let dir = scratch("fifo");
    let fifo = dir.join("keymap.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Opening a FIFO for reading blocks until a writer comes: load must return without one.
    let (tx, rx) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || tx.send(Keymap::load(Some(&path)).1).unwrap());
    let problem = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("load returned without opening the FIFO");
    assert!(
        problem
            .unwrap()
            .contains("keymap.toml is not a regular file")
    );
}

#[test]
fn hints_put_the_context_first_and_name_each_action_once() {
    let hints = Keymap::builtin().hints(Context::Package);
    assert_eq!(hints[0], ("Enter".to_string(), "pick"));
    let helps = hints.iter().filter(|(_, h)| *h == "help").count();
    assert_eq!(helps, 1);
}

/// Each dialog's section, the context its keys are read in, the action rebound in the tests
/// below and its default key there.
const DIALOGS: [(&str, Context, Action, &str); 11] = [
    ("export", Context::Export, Action::Confirm, "enter"),
    ("exported", Context::Exported, Action::Confirm, "enter"),
    ("target", Context::Picker, Action::Confirm, "enter"),
    ("reserve", Context::Reserve, Action::Confirm, "enter"),
    ("save", Context::Save, Action::Confirm, "enter"),
    ("versions", Context::Versions, Action::Confirm, "enter"),
    ("matrix", Context::Matrix, Action::Confirm, "enter"),
    ("add", Context::Add, Action::Confirm, "enter"),
    ("open", Context::Open, Action::Confirm, "enter"),
    ("help", Context::Help, Action::Help, "?"),
    ("detail", Context::Detail, Action::Help, "?"),
];

#[test]
fn rebinding_one_dialogs_key_leaves_every_other_dialog_as_it_was() {
    let moved = key!(ctrl - j);
    for (section, context, action, _) in DIALOGS {
        let name = super::names::name_of(action);
        let user = format!("[{section}]\n{name} = [\"ctrl-j\"]\n");
        let (keymap, notes) = Keymap::from_toml(DEFAULT, Some(&user)).unwrap();
        assert!(notes.is_empty(), "[{section}]: {notes:?}");
        for (other, other_context, other_action, default) in DIALOGS {
            let default = crokey::parse(default).unwrap();
            if other == section {
                assert_eq!(keymap.action(context, moved), Some(action), "[{section}]");
                assert_ne!(keymap.action(context, default), Some(action), "[{section}]");
            } else {
                assert_eq!(
                    keymap.action(other_context, default),
                    Some(other_action),
                    "[{other}] after a rebinding in [{section}]"
                );
                assert_eq!(
                    keymap.action(other_context, moved),
                    None,
                    "[{other}] after a rebinding in [{section}]"
                );
            }
        }
    }
}

#[test]
fn the_export_path_box_binds_no_letter_and_p_publishes_in_the_summary() {
    let keymap = Keymap::builtin();
    for c in 'a'..='z' {
        let letter = crokey::parse(&c.to_string()).unwrap();
        assert_eq!(keymap.action(Context::Export, letter), None, "{c}");
    }
    assert_eq!(
        keymap.action(Context::Exported, key!(p)),
        Some(Action::Publish)
    );
}

#[test]
fn publish_listed_in_export_as_older_keymaps_did_is_read_in_exported_and_said() {
    let (keymap, message, _) = load_text("moved", "[export]\npublish = [\"x\"]\n");
    assert!(
        message.contains("line 2: publish in [export] is read as [exported]"),
        "{message}"
    );
    assert_eq!(
        keymap.action(Context::Exported, key!(x)),
        Some(Action::Publish)
    );
    assert_eq!(keymap.action(Context::Exported, key!(p)), None);
    assert_eq!(keymap.action(Context::Export, key!(x)), None);
}

#[test]
fn a_target_confirm_of_an_older_keymap_still_applies_in_the_picker_and_only_there() {
    let (keymap, _) =
        Keymap::from_toml(DEFAULT, Some("[target]\nconfirm = [\"ctrl-j\"]\n")).unwrap();
    assert_eq!(
        keymap.action(Context::Picker, key!(ctrl - j)),
        Some(Action::Confirm)
    );
    assert_eq!(keymap.action(Context::Picker, key!(enter)), None);
    assert_eq!(
        keymap.action(Context::Picker, key!(tab)),
        Some(Action::Mark)
    );
    for context in [Context::Reserve, Context::Save, Context::Versions] {
        assert_eq!(
            keymap.action(context, key!(enter)),
            Some(Action::Confirm),
            "{context:?}"
        );
    }
}
