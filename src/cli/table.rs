//! Plain aligned text tables for the headless commands.

use std::fmt::Write as _;

/// A table whose cells may hold ANSI colour codes: widths count only visible characters.
#[derive(Debug, Default)]
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table {
            rows: vec![header.iter().map(ToString::to_string).collect()],
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0; columns];
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(visible_width(cell));
            }
        }
        let mut out = String::new();
        for row in &self.rows {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                if i + 1 == row.len() {
                    line.push_str(cell);
                } else {
                    let pad = widths[i] - visible_width(cell) + 2;
                    let _ = write!(line, "{cell}{:pad$}", "");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Characters shown on screen, skipping `ESC [ ... m` sequences.
pub fn visible_width(text: &str) -> usize {
    let mut width = 0;
    let mut in_escape = false;
    for c in text.chars() {
        if in_escape {
            in_escape = c != 'm';
        } else if c == '\x1b' {
            in_escape = true;
        } else {
            width += 1;
        }
    }
    width
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_on_visible_characters() {
        let mut t = Table::new(&["a", "b"]);
        t.row(vec!["\x1b[32mxyz\x1b[0m".into(), "1".into()]);
        let text = t.render();
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines[0], "a    b");
        assert_eq!(lines[1], "\x1b[32mxyz\x1b[0m  1");
    }
}
