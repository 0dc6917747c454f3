//! The layer's requests as commands: each takes its generation from the layer's state (which
//! clears what depends on it), so the sites that ask never bump it by hand.

use super::super::app::App;
use super::super::msg::Command;

/// Asks for a new resolution of the picks (a new generation; the older one is cancelled).
pub fn resolve_picks(app: &mut App) -> Vec<Command> {
    let generation = app.layer.new_resolution();
    app.notice = None;
    if app.layer.picks.is_empty() {
        return Vec::new();
    }
    vec![Command::Resolve {
        generation,
        spec: app.spec(),
    }]
}

/// Plans the tree again for the resolution at hand (nothing to do without one).
pub fn replan(app: &mut App) -> Vec<Command> {
    let Some((generation, resolution)) = app.layer.new_plan() else {
        return Vec::new();
    };
    vec![Command::Plan {
        generation,
        spec: app.spec(),
        resolution,
    }]
}
