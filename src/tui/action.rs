//! Everything a key can do: exactly the names a keymap file can bind (`assets/keymap.toml`).
//!
//! The footer hints and the help screen read [`Action::hint`] and [`Action::describe`], so a
//! binding, its hint and its help line cannot drift apart.

use serde::Deserialize;

/// A bindable action. In the keymap it is written in kebab-case (`next-pane`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Leave the program (status 0).
    Quit,
    /// Ctrl-C: cancels a running export, publish or opening of a zip; otherwise quits.
    Interrupt,
    /// Show or hide the help screen.
    Help,
    /// Close a dialog, or step back from the current pane.
    Back,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Focus the search box.
    FocusSearch,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Open the highlighted project (search, layer) or folder (tree).
    Open,
    /// Pick the highlighted build, pinning that exact file.
    Pick,
    /// Remove the highlighted pick.
    Unpick,
    /// Show the previous (newer) release's files.
    NewerVersion,
    /// Show the next (older) release's files.
    OlderVersion,
    /// Keep or leave out what the runtime already has (boto3, botocore, ...).
    ToggleRuntimeProvided,
    /// Compile bytecode for the target's Python into the layer, or not.
    ToggleBytecode,
    /// Open the export dialog.
    Export,
    /// Show why the layer does not resolve: every clashing fact and the resolver's derivation.
    Details,
    /// Choose the runtime and architecture; every pick is checked again there.
    ChooseTarget,
    /// Take the version that loads on this target in place of a refused pinned build.
    AcceptOffer,
    /// Switch between the `python/` and `python/lib/python3.X/site-packages/` layouts.
    ToggleLayout,
    /// List the open project's releases, each marked by whether it loads here.
    Versions,
    /// Set the room kept for the function's code and other layers.
    Reserve,
    /// Save the picks as a requirements file, with the lock beside it.
    Save,
    /// Show the layer's packages against every runtime and architecture.
    Matrix,
    /// Add a file or folder of your own under /opt.
    AddFiles,
    /// In the /opt tree: remove the highlighted file or folder of your own (added with `a`).
    RemoveAddition,
    /// Complete the path being typed (the add and open dialogs).
    Complete,
    /// Open a requirements file (its lines become picks) or a layer zip (to look at).
    OpenFile,
    /// Move left (the matrix's columns).
    Left,
    /// Move right.
    Right,
    /// Confirm a dialog (export: start it).
    Confirm,
    /// In the matrix: switch between the versions per target and the chosen files' verdicts.
    Files,
    /// In the export summary: publish the zip as a Lambda layer version.
    Publish,
    /// In the target picker: mark or unmark the highlighted target; a `python/` layer serves
    /// every marked target with one set of wheels.
    Mark,
}

impl Action {
    /// A word or two for the footer.
    pub fn hint(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Interrupt => "cancel/quit",
            Action::Help => "help",
            Action::Back => "back",
            Action::NextPane => "next pane",
            Action::PrevPane => "prev pane",
            Action::FocusSearch => "search",
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::Open => "open",
            Action::Pick => "pick",
            Action::Unpick => "remove",
            Action::NewerVersion => "newer",
            Action::OlderVersion => "older",
            Action::ToggleRuntimeProvided => "runtime pkgs",
            Action::ToggleBytecode => "bytecode",
            Action::Export => "export",
            Action::Details => "why",
            Action::ChooseTarget => "target",
            Action::AcceptOffer => "take it",
            Action::ToggleLayout => "layout",
            Action::Versions => "versions",
            Action::Reserve => "reserve",
            Action::Save => "save",
            Action::Matrix => "matrix",
            Action::AddFiles => "add files",
            Action::RemoveAddition => "remove yours",
            Action::Complete => "complete",
            Action::OpenFile => "open file",
            Action::Left => "left",
            Action::Right => "right",
            Action::Confirm => "confirm",
            Action::Files => "files",
            Action::Publish => "publish",
            Action::Mark => "mark",
        }
    }

    /// One line for the help screen.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "Quit wheelbarrow",
            Action::Interrupt => {
                "Cancel the running export, publish or opening of a zip; otherwise quit"
            }
            Action::Help => "Show or hide this help",
            Action::Back => "Close the dialog, or go back to the search box",
            Action::NextPane => "Move the focus to the next pane",
            Action::PrevPane => "Move the focus to the previous pane",
            Action::FocusSearch => "Go back to the search box",
            Action::Up => "Move up",
            Action::Down => "Move down",
            Action::PageUp => "Move up a page",
            Action::PageDown => "Move down a page",
            Action::Top => "Go to the first row",
            Action::Bottom => "Go to the last row",
            Action::Open => "Open the highlighted project, or fold/unfold a folder of the tree",
            Action::Pick => "Pick this build (the exact file is pinned)",
            Action::Unpick => "Remove the highlighted pick from the layer",
            Action::NewerVersion => "Show the files of the newer release",
            Action::OlderVersion => "Show the files of the older release",
            Action::ToggleRuntimeProvided => {
                "Keep or leave out what the runtime already has (boto3, botocore, ...)"
            }
            Action::ToggleBytecode => {
                "Compile bytecode for the target's Python into the layer (faster cold starts; an interpreter of that version compiles it at export), or not"
            }
            Action::Export => "Export the layer zip",
            Action::ChooseTarget => {
                "Choose the runtime and architecture (typing filters); every pick is checked there"
            }
            Action::Save => "Save the picks as a requirements file, and the lock beside it",
            Action::Matrix => {
                "Show where the layer loads: every package against every runtime and architecture (in the package pane: the open release's files)"
            }
            Action::AddFiles => {
                "Add a file or folder of your own under /opt (shared libraries go to lib/)"
            }
            Action::RemoveAddition => {
                "Remove the highlighted file or folder of your own (added with a) from the layer"
            }
            Action::Complete => "Complete the path from the files there",
            Action::OpenFile => {
                "Open a requirements file (its lines become picks) or a layer zip built by any tool (its tree, budget and problems)"
            }
            Action::Left => "Move left",
            Action::Right => "Move right",
            Action::Reserve => {
                "Keep room in the 250 MB for your function's code and other layers (the gauges count it)"
            }
            Action::Versions => {
                "List the project's releases, newest first, marked by whether each loads here"
            }
            Action::ToggleLayout => {
                "Switch the layout: python/ or python/lib/python3.X/site-packages/"
            }
            Action::AcceptOffer => {
                "Take the version that loads here in place of the refused pinned build"
            }
            Action::Details => {
                "Show why nothing fits: every clashing fact and the resolver's derivation"
            }
            Action::Confirm => "Confirm (in the export dialog: export)",
            Action::Mark => {
                "In the target picker (python/ layout): mark or unmark a target; Enter then makes one python/ tree whose every wheel loads on all the marked ones"
            }
            Action::Files => {
                "In the matrix: switch between your picks' versions on every target and the chosen files' verdicts"
            }
            Action::Publish => {
                "In the export summary: publish the zip as a Lambda layer version (no new version when the newest has the same bytes)"
            }
        }
    }
}
