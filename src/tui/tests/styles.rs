//! The colours of the key tags, read from the drawn cells: each python, ABI and platform tag in
//! the style of whether it fits the target, and the same meaning without colour under
//! `NO_COLOR` (marks and modifiers).

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use super::fixtures::app_with_project;
use super::panes::render;
use crate::tui::theme::Theme;

/// The cells of the first occurrence of `needle` on the row that also holds `row_marker`.
fn find(buffer: &Buffer, row_marker: &str, needle: &str) -> (u16, u16) {
    for y in 0..buffer.area.height {
        let line: Vec<&str> = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        let text: String = line.concat();
        if !text.contains(row_marker) {
            continue;
        }
        // Cell index of the needle: count symbols, not bytes.
        let symbols: Vec<&str> = line;
        for x in 0..symbols.len() {
            let rest: String = symbols[x..].concat();
            if rest.starts_with(needle) {
                return (u16::try_from(x).unwrap(), y);
            }
        }
    }
    panic!("no {needle:?} on a row with {row_marker:?}");
}

fn fg(buffer: &Buffer, at: (u16, u16)) -> Option<Color> {
    buffer[at].fg.into()
}

#[test]
fn each_tag_of_a_file_is_coloured_by_whether_that_part_fits_the_target() {
    let mut app = app_with_project();
    app.size = (160, 45);
    let buffer = render(&app);
    let green = Some(Color::Green);
    let red = Some(Color::Red);
    // cp311-cp311-manylinux_2_17_x86_64 on python3.12: the interpreter is wrong, the platform right.
    let row = "cp311-cp311-manylinux_2_17";
    assert_eq!(fg(&buffer, find(&buffer, row, "cp311")), red);
    assert_eq!(fg(&buffer, find(&buffer, row, "manylinux_2_17")), green);
    // musllinux on a glibc runtime: the interpreter is right, the platform wrong.
    let row = "musllinux_1_2";
    assert_eq!(fg(&buffer, find(&buffer, row, "cp312")), green);
    assert_eq!(fg(&buffer, find(&buffer, row, "musllinux_1_2_x86_64")), red);
    // macOS on arm64: wrong on both counts of the platform.
    assert_eq!(
        fg(&buffer, find(&buffer, "macosx", "macosx_11_0_arm64")),
        red
    );
    // The best build: every part fits, and it is starred.
    let row = "manylinux_2_28";
    assert_eq!(
        fg(&buffer, find(&buffer, row, "manylinux_2_28_x86_64")),
        green
    );
    assert_eq!(buffer[find(&buffer, row, "★")].symbol(), "★");
}

#[test]
fn without_colour_the_refused_tags_are_crossed_out_and_the_marks_remain() {
    let mut app = app_with_project();
    app.theme = Theme::plain();
    app.size = (160, 45);
    let buffer = render(&app);
    let musl = &buffer[find(&buffer, "musllinux_1_2", "musllinux_1_2_x86_64")];
    assert_eq!(Option::<Color>::from(musl.fg), Some(Color::Reset));
    assert!(musl.modifier.contains(Modifier::CROSSED_OUT));
    let fits = &buffer[find(&buffer, "musllinux_1_2", "cp312")];
    assert!(fits.modifier.contains(Modifier::BOLD));
    assert!(!fits.modifier.contains(Modifier::CROSSED_OUT));
    assert_eq!(buffer[find(&buffer, "musllinux_1_2", "✗")].symbol(), "✗");
    assert_eq!(buffer[find(&buffer, "manylinux_2_28", "★")].symbol(), "★");
}

#[test]
fn the_highlighted_row_is_reversed_so_the_cursor_shows_without_colour() {
    let mut app = app_with_project();
    app.theme = Theme::plain();
    let buffer = render(&app);
    let best = &buffer[find(&buffer, "manylinux_2_28", "★")];
    assert!(best.modifier.contains(Modifier::REVERSED));
}
