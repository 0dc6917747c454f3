//! Environment markers evaluated for the Lambda target, never for this machine.

use pep508_rs::{MarkerEnvironment, MarkerEnvironmentBuilder};

use crate::lambda::{Arch, Target};

/// The marker environment of a Lambda runtime: CPython 3.X on Linux, on the target's CPU.
/// Lambda's exact patch release is not published, so `python_full_version` is 3.X.0, as pip's
/// `--python-version 3.X` assumes.
///
/// # Panics
/// Never: the versions are built from numbers.
pub fn target_environment(target: &Target) -> MarkerEnvironment {
    let version = format!("3.{}", target.runtime.python_minor);
    let full = format!("{version}.0");
    let machine = match target.arch {
        Arch::X86_64 => "x86_64",
        Arch::Arm64 => "aarch64",
    };
    MarkerEnvironment::try_from(MarkerEnvironmentBuilder {
        implementation_name: "cpython",
        implementation_version: &full,
        os_name: "posix",
        platform_machine: machine,
        platform_python_implementation: "CPython",
        platform_release: "",
        platform_system: "Linux",
        platform_version: "",
        python_full_version: &full,
        python_version: &version,
        sys_platform: "linux",
    })
    .expect("numeric versions parse")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda::RuntimeTable;
    use pep508_rs::{ExtraName, Requirement};
    use std::str::FromStr;

    fn applies(req: &str, runtime: &str, arch: &str, extras: &[&str]) -> bool {
        let table = RuntimeTable::builtin();
        let target = table.target(Some(runtime), Some(arch)).unwrap();
        let req = Requirement::<pep508_rs::VerbatimUrl>::from_str(req).unwrap();
        let extras: Vec<ExtraName> = extras
            .iter()
            .map(|e| ExtraName::from_str(e).unwrap())
            .collect();
        req.marker.evaluate(&target_environment(&target), &extras)
    }

    #[test]
    fn markers_describe_the_target_not_this_machine() {
        let cases = [
            ("x; python_version < '3.12'", "3.11", "x86_64", true),
            ("x; python_version < '3.12'", "3.12", "x86_64", false),
            ("x; python_full_version >= '3.11.0'", "3.11", "x86_64", true),
            ("x; platform_machine == 'aarch64'", "3.12", "arm64", true),
            ("x; platform_machine == 'x86_64'", "3.12", "arm64", false),
            ("x; sys_platform == 'win32'", "3.12", "x86_64", false),
            ("x; sys_platform == 'darwin'", "3.12", "arm64", false),
            ("x; platform_system == 'Linux'", "3.12", "x86_64", true),
            ("x; os_name == 'nt'", "3.12", "x86_64", false),
            ("x; implementation_name == 'pypy'", "3.12", "x86_64", false),
            (
                "x; platform_python_implementation == 'CPython'",
                "3.12",
                "x86_64",
                true,
            ),
        ];
        for (req, runtime, arch, expected) in cases {
            assert_eq!(
                applies(req, runtime, arch, &[]),
                expected,
                "{req} on {runtime}/{arch}"
            );
        }
    }

    #[test]
    fn extra_markers_apply_only_when_the_extra_is_asked_for() {
        assert!(!applies("x; extra == 'socks'", "3.12", "x86_64", &[]));
        assert!(applies("x; extra == 'socks'", "3.12", "x86_64", &["socks"]));
    }
}
