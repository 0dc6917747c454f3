//! Which interpreters a build compiles with, found before anything is downloaded, so that a
//! refusal comes at once and nothing is half built.

use tokio_util::sync::CancellationToken;

use super::interpreter::{FoundBy, Interpreter, Places, Tried, find, probe};
use super::{BytecodeError, BytecodeOptions};

/// The interpreters found, and the runtimes that got none.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// One per Python minor, in the order asked.
    pub interpreters: Vec<Interpreter>,
    /// `python3.12`: runtimes the layer serves that will have no bytecode.
    pub without: Vec<String>,
}

/// Finds an interpreter for every minor of `required` (refusing when one has none) and for
/// those of `optional` that have one. With nothing required, at least one must be found. Every
/// interpreter the user named must serve one of them: an option is never ignored.
pub fn interpreters_for(
    required: &[u32],
    optional: &[u32],
    options: &BytecodeOptions,
    places: &Places,
    cancel: &CancellationToken,
) -> Result<Found, BytecodeError> {
    let all: Vec<u32> = required
        .iter()
        .chain(optional.iter().filter(|m| !required.contains(m)))
        .copied()
        .collect();
    let runtime = |m: u32| format!("python3.{m}");
    let wanted = || {
        all.iter()
            .map(|m| runtime(*m))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    for path in &options.python {
        match probe(path, FoundBy::Given, cancel) {
            Ok(i) if all.contains(&i.minor) => {}
            Ok(i) => {
                return Err(BytecodeError::GivenUnused {
                    path: path.clone(),
                    why: format!("it is Python {}", i.version),
                    wanted: wanted(),
                });
            }
            Err(why) => {
                return Err(BytecodeError::GivenUnused {
                    path: path.clone(),
                    why,
                    wanted: wanted(),
                });
            }
        }
    }
    let mut found = Found::default();
    let mut tried_all: Vec<Tried> = Vec::new();
    for minor in &all {
        match find(*minor, &options.python, places, cancel) {
            Ok(interpreter) => found.interpreters.push(interpreter),
            Err(tried) if required.contains(minor) => {
                return Err(BytecodeError::NoInterpreter {
                    runtimes: vec![runtime(*minor)],
                    tried,
                });
            }
            Err(tried) => {
                found.without.push(runtime(*minor));
                tried_all.extend(tried);
            }
        }
    }
    found.interpreters.sort_by_key(|i| i.minor);
    if found.interpreters.is_empty() {
        return Err(BytecodeError::NoInterpreter {
            runtimes: all.iter().map(|m| runtime(*m)).collect(),
            tried: tried_all,
        });
    }
    Ok(found)
}
