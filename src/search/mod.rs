//! Searching every project on the index as you type.
//!
//! [`NameList`] holds all ~930,000 names compactly; [`store`] keeps it on disk and refreshes it
//! from the index's Simple API root; [`Matcher`] ranks matches; [`SearchWorker`] runs the
//! matcher on its own thread, latest query wins, answering with [`Snapshot`]s.
//!
//! ```
//! use std::sync::Arc;
//! use wheelbarrow::search::{Known, Matcher, NameList};
//!
//! let names = NameList::from_names(["requests", "req2", "PyYAML"].map(String::from));
//! let mut matcher = Matcher::new(Arc::new(names), Arc::new(Known::builtin(&[])));
//! let snapshot = matcher.search("req", 1, 10);
//! assert_eq!(snapshot.rows[0].name, "requests");
//! ```

mod known;
mod names;
mod rank;
pub mod store;
mod worker;

pub use known::{History, Known};
pub use names::{NameList, key_of};
pub use rank::{MatchKind, Matcher, SearchRow, Snapshot};
pub use worker::SearchWorker;
