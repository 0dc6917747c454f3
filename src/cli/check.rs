//! `wheelbarrow check`: a verdict, with its reason, for each wheel file name.

use std::fmt::Write as _;
use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

use serde::Serialize;
use wheelbarrow::wheel::TagFits;
use wheelbarrow::{Target, Verdict, WheelName};

use super::CheckArgs;
use super::out::stdout_error;
use super::paint::Paint;

/// One line of output, text or JSON.
#[derive(Serialize)]
struct Row<'a> {
    filename: &'a str,
    compatible: bool,
    reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    project: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    best_tag: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rank: Option<usize>,
    /// Set when the name is not a wheel file name at all.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    malformed: bool,
}

#[derive(Default)]
struct Tally {
    fits: usize,
    refused: usize,
    malformed: usize,
}

pub fn run(args: &CheckArgs, paint: Paint) -> anyhow::Result<ExitCode> {
    let table = super::runtime_table();
    let target = args.target.resolve(&table)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut printer = Printer {
        out: &mut out,
        target: &target,
        paint,
        json: args.json,
        first: true,
        tally: Tally::default(),
    };
    printer.start().map_err(stdout_error)?;
    if args.files.len() == 1 && args.files[0] == "-" {
        let stdin = std::io::stdin();
        for (number, line) in stdin.lock().split(b'\n').enumerate() {
            let line = line.map_err(|e| anyhow::anyhow!("could not read stdin: {e}"))?;
            let Ok(line) = std::str::from_utf8(&line) else {
                // Said as a malformed entry, so the output stays whole (and valid JSON).
                printer
                    .not_text(number + 1, &String::from_utf8_lossy(&line))
                    .map_err(stdout_error)?;
                continue;
            };
            let name = line.trim();
            if !name.is_empty() && !name.starts_with('#') {
                printer.file(name).map_err(stdout_error)?;
            }
        }
    } else {
        for name in &args.files {
            printer.file(name).map_err(stdout_error)?;
        }
    }
    let tally = printer.finish().map_err(stdout_error)?;
    out.flush().map_err(stdout_error)?;
    Ok(if tally.malformed > 0 {
        ExitCode::from(2)
    } else if tally.refused > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

struct Printer<'a, W: Write> {
    out: &'a mut W,
    target: &'a Target,
    paint: Paint,
    json: bool,
    first: bool,
    tally: Tally,
}

impl<W: Write> Printer<'_, W> {
    fn start(&mut self) -> std::io::Result<()> {
        if self.json {
            return self.out.write_all(b"[");
        }
        let r = &self.target.runtime;
        writeln!(
            self.out,
            "{}",
            self.paint.strong(format_args!(
                "{} ({}, glibc {}, CPython 3.{})",
                self.target, r.os, r.glibc, r.python_minor
            ))
        )
    }

    fn file(&mut self, name: &str) -> std::io::Result<()> {
        match WheelName::parse(name) {
            Ok(wheel) => {
                let verdict = wheel.verdict(self.target);
                if verdict.compatible {
                    self.tally.fits += 1;
                } else {
                    self.tally.refused += 1;
                }
                self.emit(&wheel, &verdict)
            }
            Err(err) => {
                self.tally.malformed += 1;
                let reason = err.to_string();
                if self.json {
                    self.json_row(&Row {
                        filename: &err.filename,
                        compatible: false,
                        reason: &reason,
                        project: None,
                        version: None,
                        best_tag: None,
                        rank: None,
                        malformed: true,
                    })
                } else {
                    let line = format!(
                        "{} {}",
                        self.paint.rejected("! malformed"),
                        self.paint.rejected(&reason)
                    );
                    writeln!(self.out, "{}", self.paint.screen(&line))
                }
            }
        }
    }

    /// A stdin line that is not UTF-8: counted as malformed, with its line number.
    fn not_text(&mut self, number: usize, lossy: &str) -> std::io::Result<()> {
        self.tally.malformed += 1;
        let filename = lossy.trim();
        let reason =
            format!("line {number} of stdin is not UTF-8 text, so it is not a wheel file name");
        if self.json {
            return self.json_row(&Row {
                filename,
                compatible: false,
                reason: &reason,
                project: None,
                version: None,
                best_tag: None,
                rank: None,
                malformed: true,
            });
        }
        let line = format!(
            "{} {}",
            self.paint.rejected("! malformed"),
            self.paint.rejected(&reason)
        );
        writeln!(self.out, "{}", self.paint.screen(&line))
    }

    fn emit(&mut self, wheel: &WheelName, verdict: &Verdict) -> std::io::Result<()> {
        if self.json {
            return self.json_row(&Row {
                filename: &wheel.filename,
                compatible: verdict.compatible,
                reason: &verdict.reason,
                project: Some(&wheel.normalized),
                version: Some(&wheel.version),
                best_tag: verdict.best_tag.as_deref(),
                rank: verdict.rank,
                malformed: false,
            });
        }
        let mark = if verdict.compatible {
            self.paint.compatible("✓ loads  ")
        } else {
            self.paint.rejected("✗ refused")
        };
        let text = format!(
            "{mark} {}\n            {}",
            highlight(wheel, &verdict.fits, self.paint),
            self.paint.muted(&verdict.reason)
        );
        writeln!(self.out, "{}", self.paint.screen(&text))
    }

    fn json_row(&mut self, row: &Row<'_>) -> std::io::Result<()> {
        if !self.first {
            self.out.write_all(b",")?;
        }
        self.first = false;
        self.out.write_all(b"\n  ")?;
        serde_json::to_writer(&mut *self.out, row)?;
        Ok(())
    }

    fn finish(self) -> std::io::Result<Tally> {
        if self.json {
            self.out.write_all(b"\n]\n")?;
        } else {
            let t = &self.tally;
            let total = t.fits + t.refused + t.malformed;
            let mut line = format!(
                "{total} file{}: {} load{}, {} refused",
                if total == 1 { "" } else { "s" },
                t.fits,
                if t.fits == 1 { "s" } else { "" },
                t.refused
            );
            if t.malformed > 0 {
                let _ = write!(line, ", {} malformed", t.malformed);
            }
            writeln!(self.out, "{}", self.paint.strong(line))?;
        }
        Ok(self.tally)
    }
}

/// The file name with each tag coloured by whether it takes part in a fitting combination.
fn highlight(wheel: &WheelName, fits: &TagFits, paint: Paint) -> String {
    let field = |texts: Vec<&str>, ok: &[bool]| -> String {
        texts
            .iter()
            .zip(ok)
            .map(|(t, ok)| {
                if *ok {
                    paint.compatible(t)
                } else {
                    paint.rejected(t)
                }
            })
            .collect::<Vec<_>>()
            .join(".")
    };
    let mut head = format!("{}-{}", wheel.project, wheel.version);
    if let Some(build) = &wheel.build {
        let _ = write!(head, "-{build}");
    }
    // Tags are shown as written (lowercased), which is how pip compares them.
    format!(
        "{head}-{}-{}-{}.whl",
        field(
            wheel.python.iter().map(|t| t.text.as_str()).collect(),
            &fits.python
        ),
        field(
            wheel.abi.iter().map(|t| t.text.as_str()).collect(),
            &fits.abi
        ),
        field(
            wheel.platform.iter().map(|t| t.text.as_str()).collect(),
            &fits.platform
        ),
    )
}
