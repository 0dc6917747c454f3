//! The checks of `inspect` that read members' bytes: every native file against its target
//! (each `python3.X/site-packages` tree's own runtime in a layer of several), and bytecode.

use std::collections::{BTreeMap, HashSet};

use super::inspect::{BytecodeFinding, InspectProblem};
use super::inspect_budget::{Inflater, Unread};
use super::inspect_trees::{Trees, tree_minor};
use super::native::{self, BinaryKind, NativeCheck};
use crate::index::ZipEntry;
use crate::lambda::Target;

/// Shared libraries every manylinux wheel may assume (the manylinux policy's list), which
/// Lambda's images have.
const SYSTEM_LIBS: [&str; 20] = [
    "libc.so.6",
    "libm.so.6",
    "libdl.so.2",
    "libpthread.so.0",
    "librt.so.1",
    "libutil.so.1",
    "libnsl.so.1",
    "libresolv.so.2",
    "libgcc_s.so.1",
    "libstdc++.so.6",
    "libz.so.1",
    "libcrypt.so.1",
    "libexpat.so.1",
    "ld-linux-x86-64.so.2",
    "ld-linux-aarch64.so.1",
    "libgomp.so.1",
    "libanl.so.1",
    "libBrokenLocale.so.1",
    "libmvec.so.1",
    "libthread_db.so.1",
];

pub(super) fn check_natives(
    files: &[&ZipEntry],
    zip: &Inflater,
    (target, trees): (&Target, &Trees),
    limits: &crate::lambda::Limits,
    problems: &mut Vec<InspectProblem>,
    notes: &mut Vec<String>,
) -> Vec<NativeCheck> {
    let present: HashSet<&str> = files
        .iter()
        .filter_map(|f| f.name.rsplit('/').next())
        .collect();
    let mut checks = Vec::new();
    let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in files {
        let in_bin = f.name.starts_with("bin/");
        if !native::is_native_path(&f.name) && !in_bin {
            continue;
        }
        // Members are inflated one at a time, each at most the layer limit: a small zip
        // whose member claims gigabytes is reported, not inflated.
        if f.size > limits.unzipped_bytes {
            problems.push(InspectProblem::MemberTooBig {
                path: f.name.clone(),
                size: f.size,
                limit: limits.unzipped_bytes,
            });
            continue;
        }
        let data = match zip.member(f) {
            Ok(data) => data,
            // Over the budget, or cancelled: the inspection says so once.
            Err(Unread::Stopped) => break,
            Err(Unread::Broken(_)) => {
                problems.push(InspectProblem::Unreadable {
                    path: f.name.clone(),
                });
                continue;
            }
        };
        if in_bin && native::sniff(&data).is_none() {
            continue; // a script
        }
        let check = native::check_native(&f.name, &data, trees.target_for(&f.name, target));
        for problem in &check.problems {
            problems.push(InspectProblem::Native {
                path: f.name.clone(),
                problem: problem.clone(),
            });
        }
        if check.kind == Some(BinaryKind::Elf) {
            for lib in &check.needed {
                if !present.contains(lib.as_str())
                    && !SYSTEM_LIBS.contains(&lib.as_str())
                    && !lib.starts_with("libpython3")
                {
                    missing.entry(lib.clone()).or_default().push(f.name.clone());
                }
            }
        }
        checks.push(check);
    }
    for (lib, users) in missing {
        notes.push(format!(
            "{} needs {lib}, which is not in the layer and not among the libraries every manylinux system has; if Lambda lacks it, imports fail with \"{lib}: cannot open shared object file\" (add it under lib/)",
            users[0]
        ));
    }
    checks
}

/// Bytecode findings, each tree of a layer of several for its own runtime (the files outside
/// every tree with the first).
pub(super) fn bytecode(
    files: &[&ZipEntry],
    zip: &Inflater,
    target: &Target,
    trees: &Trees,
) -> Vec<BytecodeFinding> {
    let check = super::inspect_bytecode::check_bytecode;
    let mut judged = trees.iter().peekable();
    if judged.peek().is_none() {
        return check(
            files,
            zip,
            &target.runtime.name,
            target.runtime.python_minor,
        );
    }
    let mut findings = Vec::new();
    for (i, (prefix, t)) in judged.enumerate() {
        let mine: Vec<&ZipEntry> = files
            .iter()
            .filter(|f| {
                f.name.starts_with(prefix.as_str()) || (i == 0 && tree_minor(&f.name).is_none())
            })
            .copied()
            .collect();
        findings.extend(check(&mine, zip, &t.runtime.name, t.runtime.python_minor));
    }
    findings
}

/// The native files' count in a sentence: "3 native files checked: 1 loads, 2 do not."
pub(super) fn native_words(total: usize, refused: usize) -> String {
    let loads = total - refused;
    format!(
        "{total} native {} checked: {loads} {}, {refused} {}.",
        if total == 1 { "file" } else { "files" },
        if loads == 1 { "loads" } else { "load" },
        if refused == 1 { "does not" } else { "do not" },
    )
}

#[cfg(test)]
mod native_words_tests {
    #[test]
    fn the_native_count_is_said_in_singular_and_plural_as_english_has_it() {
        assert_eq!(
            super::native_words(0, 0),
            "0 native files checked: 0 load, 0 do not."
        );
        assert_eq!(
            super::native_words(1, 1),
            "1 native file checked: 0 load, 1 does not."
        );
        assert_eq!(
            super::native_words(1, 0),
            "1 native file checked: 1 loads, 0 do not."
        );
        assert_eq!(
            super::native_words(3, 2),
            "3 native files checked: 1 loads, 2 do not."
        );
    }
}
