//! What is fetched in the background, how far it is, and that in words for the status line.

use wheelbarrow::work::Step;

/// Something fetched in the background.
#[derive(Debug, Clone, Default)]
pub enum Loadable<T> {
    #[default]
    Idle,
    Loading,
    Ready(T),
    Failed(String),
}

impl<T> Loadable<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Loadable::Ready(t) => Some(t),
            _ => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Loadable::Loading)
    }

    pub fn is_failed(&self) -> bool {
        matches!(self, Loadable::Failed(_))
    }
}

/// The project-name list behind the search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Names {
    /// Loading from disk, or downloading (`got` of `total` bytes).
    Loading {
        got: u64,
        total: Option<u64>,
    },
    Ready {
        count: usize,
    },
    /// No list: exact names still open.
    Unavailable(String),
}

/// What the search pane shows about the highlighted result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peek {
    pub summary: Option<String>,
    /// The newest final release.
    pub newest: Option<String>,
    /// The newest release with a file that loads on the target.
    pub loadable: Option<String>,
}

/// The resolution or plan under way, in words: "resolving: tried 12 versions of boto3",
/// "reading wheel contents 3 of 9".
pub fn layer_activity(step: Option<&Step>, planning: bool) -> String {
    use wheelbarrow::work::Phase;
    match step {
        Some(s) if s.phase == Phase::TryingVersions => format!(
            "resolving: tried {} versions of {}",
            s.done,
            s.subject.as_deref().unwrap_or("a project")
        ),
        Some(s) if s.phase == Phase::ReadingProjects => format!(
            "resolving: reading {} ({} projects read)",
            s.subject.as_deref().unwrap_or("a project"),
            s.done
        ),
        Some(s) if s.phase == Phase::ReadingWheels => match s.total {
            Some(total) => format!("reading wheel contents {} of {total}", s.done),
            None => "reading wheel contents".into(),
        },
        _ if planning => "reading wheel contents".into(),
        _ => "resolving".into(),
    }
}

/// The layer zip being opened, in words: "opening layer.zip: 120.0 MB inflated" (Ctrl-C, or
/// the interrupt key, stops it).
pub fn opening_activity(path: &std::path::Path, step: &Step) -> String {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    if step.done == 0 {
        return format!("opening {name}");
    }
    format!(
        "opening {name}: {} inflated",
        wheelbarrow::units::human_bytes(step.done)
    )
}
