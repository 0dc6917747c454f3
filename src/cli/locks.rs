//! The lock-file options of the requirement arguments: what they choose, and their refusal
//! without a lock file.

use super::RequirementArgs;

impl RequirementArgs {
    /// What the lock options choose.
    pub fn lock_selection(&self) -> wheelbarrow::resolve::LockSelection {
        wheelbarrow::resolve::LockSelection {
            groups: self.groups.clone(),
            all_groups: self.all_groups,
            extras: self.extras.clone(),
            all_extras: self.all_extras,
            no_project: self.no_project,
        }
    }

    /// The lock options given without a lock file: an error naming them, never ignored.
    pub fn check_lock_options(&self) -> anyhow::Result<()> {
        let given = self.lock_selection() != wheelbarrow::resolve::LockSelection::default();
        let lock = self
            .files
            .iter()
            .any(|f| wheelbarrow::resolve::LockFormat::of(f).is_some());
        anyhow::ensure!(
            !given || lock,
            "--group, --all-groups, --extra, --all-extras and --no-project choose what a lock file gives, and no lock file (uv.lock, poetry.lock, pylock.toml) was given with -r"
        );
        Ok(())
    }
}
