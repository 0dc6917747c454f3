//! The index the matrix tests resolve against: versions that differ by target.
//!
//! `fastlib 2.0` has only cp312 wheels (both architectures) and needs `helper`; `fastlib 1.0`
//! has cp311 and cp312 wheels and needs nothing. So python3.11 gets fastlib 1.0 without helper,
//! python3.12 gets fastlib 2.0 with helper 1.0, and python3.13 (no cp313 wheel at all) cannot
//! resolve. `app 1.0` (the sandbox's) and `helper 1.0` are pure Python.

use super::server::TestIndex;
use super::wheel::WheelBuilder;

pub fn add_fixture(index: &TestIndex) {
    for arch in ["x86_64", "aarch64"] {
        index.add_wheel(
            &WheelBuilder::new("fastlib", "2.0")
                .tag(&format!("cp312-cp312-manylinux_2_17_{arch}"))
                .requires_dist("helper>=1")
                .build(),
        );
        for py in ["cp311", "cp312"] {
            index.add_wheel(
                &WheelBuilder::new("fastlib", "1.0")
                    .tag(&format!("{py}-{py}-manylinux_2_17_{arch}"))
                    .build(),
            );
        }
    }
    index.add_wheel(&WheelBuilder::new("helper", "1.0").build());
}
