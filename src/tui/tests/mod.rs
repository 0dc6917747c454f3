//! Tests of the TUI: `update` key by key (pure, commands asserted) and every pane drawn into a
//! `TestBackend` from the engine's real types.

mod bytecode;
mod dialog_keys;
pub(crate) mod fixtures;
mod locks;
mod opened;
mod panes;
#[cfg(feature = "publish")]
mod publish;
mod styles;
mod target_grid;
mod target_switch;
mod targets_marked;
mod update_flow;
mod update_keys;
mod update_views;
mod yours;
