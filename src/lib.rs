//! wheelbarrow's engine: everything the terminal UI and the headless commands share.
//!
//! The engine never prints and never touches the terminal; it returns data. Its first question
//! is the one every layer rests on: will this wheel load on this Lambda runtime and architecture?
//!
//! ```
//! use wheelbarrow::{RuntimeTable, WheelName};
//!
//! let table = RuntimeTable::builtin();
//! let target = table.target(Some("python3.12"), Some("arm64")).unwrap();
//! let wheel = WheelName::parse("orjson-3.10.0-cp312-cp312-musllinux_1_2_aarch64.whl").unwrap();
//! let verdict = wheel.verdict(&target);
//! assert!(!verdict.compatible);
//! assert!(verdict.reason.starts_with("musllinux is for musl libc"));
//! ```

pub mod config_file;
pub mod hint;
pub mod index;
pub mod lambda;
pub mod layer;
pub mod local_file;
pub mod name;
#[cfg(feature = "publish")]
pub mod publish;
pub mod resolve;
pub mod search;
pub mod text;
pub mod units;
pub mod wheel;
pub mod work;

pub use hint::{Hint, Hints};
pub use lambda::{Arch, Glibc, Lifecycle, Limits, Runtime, RuntimeTable, Target, TargetError};
pub use wheel::{Verdict, WheelName, WheelNameError, best_wheel, normalize_name};
