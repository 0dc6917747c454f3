//! Tests of the TUI.
