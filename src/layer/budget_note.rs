//! What the budget says, as data: each note a variant with its sizes, `Display` in plain words.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::hint::{Hint, Hints};
use crate::units::human_bytes;

/// One thing worth knowing about a layer's size.
#[derive(Debug, Clone, PartialEq)]
pub enum BudgetNote {
    /// The layer fits: its share of what Lambda allows.
    Fits {
        unzipped: u64,
        room: u64,
        reserved: u64,
        percent: f64,
    },
    /// Over Lambda's unzipped limit, with the biggest packages.
    TooBig {
        unzipped: u64,
        room: u64,
        reserved: u64,
        limit: u64,
        biggest: Vec<(String, u64)>,
    },
    /// Packages the runtime already has are in the layer: leaving them out saves `saves`.
    RuntimeProvided {
        packages: Vec<(String, u64)>,
        saves: u64,
    },
    /// Too big for a direct upload: publish through S3.
    OverDirectUpload { zipped: u64, limit: u64 },
    /// What compiled bytecode adds (counted in the sizes above): estimated before building.
    Bytecode {
        estimated: bool,
        modules: usize,
        unzipped: u64,
        zipped: u64,
        runtimes: Vec<String>,
    },
}

impl BudgetNote {
    /// Whether the note says something is wrong rather than how things stand.
    pub fn is_warning(&self) -> bool {
        !matches!(self, BudgetNote::Fits { .. } | BudgetNote::Bytecode { .. })
    }

    /// The sentence with `option` (how a front end names "leave the runtime's packages out")
    /// after "leaving them out"; `Display` is this with no option.
    pub fn render(&self, option: &str) -> String {
        let names = |list: &[(String, u64)]| {
            list.iter()
                .map(|(n, s)| format!("{n} {}", human_bytes(*s)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let reserve = |reserved: u64| {
            if reserved > 0 {
                format!(
                    " with {} kept for your function and other layers",
                    human_bytes(reserved)
                )
            } else {
                String::new()
            }
        };
        match self {
            BudgetNote::Fits {
                unzipped,
                room,
                reserved,
                percent,
            } => format!(
                "Unzipped {} of the {} Lambda allows{} ({percent:.0}%).",
                human_bytes(*unzipped),
                human_bytes(*room),
                reserve(*reserved)
            ),
            BudgetNote::TooBig {
                unzipped,
                room,
                reserved,
                limit,
                biggest,
            } => format!(
                "Too big: the layer unzips to {}, and Lambda allows {}{} for the function and all its layers together (\"Unzipped size must be smaller than {limit} bytes\"). Over by {}. Biggest: {}.",
                human_bytes(*unzipped),
                human_bytes(*room),
                reserve(*reserved),
                human_bytes(unzipped - room),
                names(biggest)
            ),
            BudgetNote::RuntimeProvided { packages, saves } => format!(
                "The runtime already has {}: leaving {} out{option} saves {}, but then your code gets whatever {} the runtime has.",
                names(packages),
                if packages.len() == 1 { "it" } else { "them" },
                human_bytes(*saves),
                if packages.len() == 1 {
                    "version"
                } else {
                    "versions"
                },
            ),
            BudgetNote::Bytecode {
                estimated,
                modules,
                unzipped,
                zipped,
                runtimes,
            } => {
                let about = if *estimated { "about " } else { "" };
                format!(
                    "Bytecode for {} adds {about}{} unzipped and {about}{} zipped ({}{}), so cold starts import instead of compiling.",
                    runtimes.join(", "),
                    human_bytes(*unzipped),
                    human_bytes(*zipped),
                    crate::units::count(*modules, "module"),
                    if *estimated {
                        "; an estimate from the sources' sizes until it is built"
                    } else {
                        ""
                    }
                )
            }
            BudgetNote::OverDirectUpload { zipped, limit } => {
                let (zipped, limit) = crate::units::sizes_against(*zipped, *limit);
                format!(
                    "The zip is {zipped}, over the {limit} a direct upload allows: upload it to S3 and publish from there (the command below does)."
                )
            }
        }
    }
}

impl fmt::Display for BudgetNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(""))
    }
}

impl Serialize for BudgetNote {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Hints for BudgetNote {
    fn hints(&self) -> Vec<Hint> {
        match self {
            BudgetNote::RuntimeProvided { .. } => vec![Hint::ExcludeRuntimeProvided],
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BudgetNote;

    #[test]
    fn the_runtimes_packages_note_says_it_for_one_and_them_for_several() {
        let one = BudgetNote::RuntimeProvided {
            packages: vec![("urllib3".into(), 2048)],
            saves: 2048,
        };
        assert_eq!(
            one.render(" (--exclude-runtime-provided)"),
            "The runtime already has urllib3 2.0 KB: leaving it out (--exclude-runtime-provided) saves 2.0 KB, but then your code gets whatever version the runtime has."
        );
        let two = BudgetNote::RuntimeProvided {
            packages: vec![("boto3".into(), 1024), ("botocore".into(), 1024)],
            saves: 2048,
        };
        assert!(
            two.render("").contains(
                "leaving them out saves 2.0 KB, but then your code gets whatever versions"
            ),
            "{}",
            two.render("")
        );
    }
}
