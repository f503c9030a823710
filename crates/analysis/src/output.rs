//! Where egov writes, and the rules that keep a run from destroying anything it did not create.
//!
//! * An output folder ([`OutputDir`]) is built in a hidden sibling `.egov-staging-*` folder and
//!   renamed into place by [`OutputDir::commit`]: it appears whole or not at all. A folder egov
//!   wrote carries a [`MARKER`] file listing its files; `--force` replaces only such a folder, and
//!   only when it holds nothing else.
//! * An output file ([`OutputFile`]) is written to a hidden temporary sibling and renamed into
//!   place; [`commit_files`] publishes several files together.
//! * Before any work: a symbolic link, a path whose parent is a file, a folder that cannot be
//!   written, a target that is (or holds) an input of the run, the working directory or one of
//!   its ancestors are refused with a message saying what the path is and what to do.
//! * Two runs into the same target: an exclusive lock (`.egov-lock-<name>` beside the target,
//!   removed at the end) lets exactly one of them go on; the other is refused at once.
//! * A failed run (an error, so the values are dropped) removes its staging, temporary files,
//!   lock and the empty parent folders it created; an interrupted one does the same through
//!   [`remove_unfinished_outputs`], which the binary's signal handler calls before exiting.

use anyhow::{Context, bail};
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Name of the file that marks a folder as written by egov; it lists the folder's files.
pub const MARKER: &str = ".egov-output";
/// Prefix of staging folders and temporary files.
pub const STAGING_PREFIX: &str = ".egov-staging-";
/// Prefix of a replaced folder while the new one moves into place.
pub const REPLACED_PREFIX: &str = ".egov-replaced-";
/// Prefix of the lock file beside a target.
pub const LOCK_PREFIX: &str = ".egov-lock-";

const MARKER_HEADER: &str = "# This folder was written by egov. `--force` may replace it, but only while it holds\n# nothing but the files listed below; anything added here keeps it from being replaced.\n";

/// An input of the run (data file, codebook, configuration, parameter file), named by its role
/// so refusals can say which input a target would destroy.
#[derive(Debug, Clone)]
pub struct Input {
    /// What the file is, in user terms: "data file", "codebook", "configuration", "--params file".
    pub role: String,
    /// The path as given.
    pub path: PathBuf,
}

impl Input {
    /// An input with its role.
    pub fn new(role: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        Input {
            role: role.into(),
            path: path.into(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cleanup registry: everything a run has created and not yet published.

#[derive(Default)]
struct Pending {
    /// Staging folders or temporary files, removed whole.
    scratch: Vec<PathBuf>,
    /// Lock files, removed after the scratch.
    locks: Vec<PathBuf>,
    /// Folders the run created, innermost last; removed (innermost first) only when empty.
    created_dirs: Vec<PathBuf>,
}

impl Pending {
    fn remove(&self) {
        for path in &self.scratch {
            remove_scratch(path);
        }
        for path in &self.locks {
            let _ = std::fs::remove_file(path);
        }
        for dir in self.created_dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

static REGISTRY: Mutex<Vec<(u64, Pending)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn registry() -> MutexGuard<'static, Vec<(u64, Pending)>> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

fn with_pending<T>(id: u64, f: impl FnOnce(&mut Pending) -> T) -> T {
    let mut reg = registry();
    let pos = match reg.iter().position(|(i, _)| *i == id) {
        Some(p) => p,
        None => {
            reg.push((id, Pending::default()));
            reg.len() - 1
        }
    };
    f(&mut reg[pos].1)
}

/// Undoes an unpublished write: its scratch, then its lock, then the folders it created. The
/// registry stays locked throughout, so an interrupt meanwhile waits instead of exiting halfway.
fn release(id: u64, lock: Option<Lock>) {
    let mut reg = registry();
    let pending = reg
        .iter()
        .position(|(i, _)| *i == id)
        .map(|p| reg.remove(p).1);
    if let Some(p) = &pending {
        for path in &p.scratch {
            remove_scratch(path);
        }
    }
    drop(lock);
    if let Some(p) = pending {
        for dir in p.created_dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
    drop(reg);
}

/// Removes a staging folder or temporary file. A folder is first renamed, so that a writer still
/// running cannot add to it by path while it is being removed.
fn remove_scratch(path: &Path) {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            let mut doomed = path.as_os_str().to_owned();
            doomed.push(".removing");
            let doomed = PathBuf::from(doomed);
            let target = if std::fs::rename(path, &doomed).is_ok() {
                doomed
            } else {
                path.to_path_buf()
            };
            for _ in 0..5 {
                if std::fs::remove_dir_all(&target).is_ok() || !target.exists() {
                    break;
                }
            }
        }
        Ok(_) => {
            let _ = std::fs::remove_file(path);
        }
        Err(_) => {}
    }
}

/// Removes every staging folder, temporary file, lock and created empty folder of the writes in
/// progress, and blocks any further write through this module. For a signal handler: call it,
/// then exit. Returns whether anything was in progress.
pub fn remove_unfinished_outputs() -> bool {
    let reg = registry();
    let any = !reg.is_empty();
    for (_, pending) in reg.iter() {
        pending.remove();
    }
    // Keep the registry locked until the process exits: a write that has not started yet waits
    // here instead of creating a new staging folder.
    std::mem::forget(reg);
    any
}

// ---------------------------------------------------------------------------------------------
// Paths.

/// A target path, resolved without following a link at its last component.
#[derive(Debug, Clone)]
struct Target {
    /// The flag that named it (`--out`, `--codebook-out`).
    flag: String,
    /// As given, for messages.
    given: PathBuf,
    /// Absolute, with `.`, `..` and links in its parents resolved.
    absolute: PathBuf,
    /// `absolute`'s parent.
    parent: PathBuf,
    /// `absolute`'s last component.
    name: OsString,
    /// Whether something exists at the path.
    exists: bool,
    /// Whether that is a folder.
    is_dir: bool,
}

fn current_dir() -> anyhow::Result<PathBuf> {
    let cwd = std::env::current_dir().context("cannot read the working directory")?;
    Ok(cwd.canonicalize().unwrap_or(cwd))
}

/// `path` made absolute: the longest existing prefix is canonicalised, the rest (which does not
/// exist, so holds no links) is normalised lexically. Also returns that existing prefix.
fn absolute(path: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let full = current_dir()?.join(path);
    let mut existing = full.as_path();
    let mut rest: Vec<Component> = Vec::new();
    loop {
        if std::fs::symlink_metadata(existing).is_ok()
            && let Ok(canonical) = existing.canonicalize()
        {
            let mut out = canonical.clone();
            for c in rest.iter().rev() {
                match c {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return Ok((out, canonical));
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return Ok((full.clone(), PathBuf::from("/"))),
        }
    }
}

fn resolve(flag: &str, given: &Path) -> anyhow::Result<Target> {
    if given.as_os_str().is_empty() {
        bail!("{flag} is empty; give a path");
    }
    let original = given;
    let shown = given.display();
    // Without a trailing `/`, which would make the system follow a link at the last component.
    let given_path: PathBuf = given.components().collect();
    let given = given_path.as_path();
    let meta = std::fs::symlink_metadata(given);
    if let Ok(m) = &meta
        && m.file_type().is_symlink()
    {
        let to = std::fs::read_link(given)
            .map(|t| t.display().to_string())
            .unwrap_or_else(|_| "?".into());
        if std::fs::metadata(given).is_err() {
            bail!(
                "{flag} {shown} is a symbolic link to {to}, which does not exist; egov does not write through links: remove the link or choose another {flag}"
            );
        }
        bail!(
            "{flag} {shown} is a symbolic link to {to}; egov does not write through links: pass the real path ({}) or choose another {flag}",
            given
                .canonicalize()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| to.clone())
        );
    }
    let (absolute, existing) = absolute(given)?;
    if !existing.is_dir() && existing != absolute {
        bail!(
            "cannot create {flag} {shown}: {} is a file, not a folder; choose another {flag}",
            existing.display()
        );
    }
    let (Some(parent), Some(name)) = (absolute.parent(), absolute.file_name()) else {
        bail!("{flag} {shown} is the root folder; choose a new folder for {flag}");
    };
    Ok(Target {
        flag: flag.to_string(),
        given: original.to_path_buf(),
        parent: parent.to_path_buf(),
        name: name.to_os_string(),
        exists: meta.is_ok(),
        is_dir: meta.map(|m| m.is_dir()).unwrap_or(false),
        absolute,
    })
}

/// Refuses a file where a folder is wanted, and the other way round.
fn check_kind(t: &Target, folder: bool) -> anyhow::Result<()> {
    let (flag, shown) = (&t.flag, t.given.display());
    if t.exists && folder && !t.is_dir {
        bail!("{flag} {shown} is a file, not a folder; choose a folder for {flag}");
    }
    if t.exists && !folder && t.is_dir {
        bail!(
            "{flag} {shown} is a folder; {flag} needs a file path (for example {})",
            t.given.join("out.csv").display()
        );
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

/// Refuses a target that is an input, holds an input, or is the working directory or one of its
/// ancestors.
fn check_against_inputs(t: &Target, inputs: &[Input], folder: bool) -> anyhow::Result<()> {
    let (flag, shown) = (&t.flag, t.given.display());
    for input in inputs {
        let Ok((path, _)) = absolute(&input.path) else {
            continue;
        };
        if path == t.absolute || (t.exists && same_file(&input.path, &t.given)) {
            bail!(
                "{flag} {shown} is the {} of this run ({}); choose another {flag}",
                input.role,
                input.path.display()
            );
        }
        if folder && path.starts_with(&t.absolute) {
            bail!(
                "{flag} {shown} contains the {} of this run ({}); egov never replaces a folder that holds an input: choose another {flag}",
                input.role,
                input.path.display()
            );
        }
    }
    if folder {
        let cwd = current_dir()?;
        if cwd == t.absolute {
            bail!(
                "{flag} {shown} is the working directory; egov never replaces the folder you work in: choose a new folder, e.g. {flag} results"
            );
        }
        if cwd.starts_with(&t.absolute) {
            bail!(
                "{flag} {shown} contains the working directory ({}); egov never replaces it: choose a new folder, e.g. {flag} results",
                cwd.display()
            );
        }
    }
    Ok(())
}

/// Creates the missing folders above `t`, recording each one in the registry entry `id`.
fn create_parents(t: &Target, id: u64) -> anyhow::Result<()> {
    let mut missing: Vec<&Path> = t
        .parent
        .ancestors()
        .take_while(|p| std::fs::symlink_metadata(p).is_err())
        .collect();
    missing.reverse();
    for dir in missing {
        with_pending(id, |p| match std::fs::create_dir(dir) {
            Ok(()) => {
                p.created_dirs.push(dir.to_path_buf());
                Ok(())
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(cannot_write(t, dir.parent().unwrap_or(dir), e)),
        })?;
    }
    Ok(())
}

fn cannot_write(t: &Target, dir: &Path, e: std::io::Error) -> anyhow::Error {
    let why = match e.kind() {
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::ReadOnlyFilesystem => "read-only file system".to_string(),
        _ => e.to_string(),
    };
    anyhow::anyhow!(
        "cannot write {} {}: the folder {} is not writable ({why}); choose a {} in a folder you can write to",
        t.flag,
        t.given.display(),
        dir.display(),
        t.flag
    )
}

fn scratch_name(t: &Target, id: u64) -> PathBuf {
    let mut name = OsString::from(format!("{STAGING_PREFIX}{}-{id}-", std::process::id()));
    name.push(&t.name);
    t.parent.join(name)
}

// ---------------------------------------------------------------------------------------------
// Lock.

/// An exclusive lock on a target, held as long as the value lives; the lock file is removed
/// while the lock is still held.
struct Lock {
    file: Option<File>,
    path: PathBuf,
}

impl Lock {
    fn acquire(t: &Target, id: u64) -> anyhow::Result<Lock> {
        let mut name = OsString::from(LOCK_PREFIX);
        name.push(&t.name);
        let path = t.parent.join(name);
        // A previous holder removes the file while holding the lock; when that happened between
        // our open and our lock, we hold a lock on a removed file: open again.
        for _ in 0..20 {
            let acquired = with_pending(id, |p| -> anyhow::Result<Option<File>> {
                let file = OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .open(&path)
                    .map_err(|e| cannot_write(t, &t.parent, e))?;
                match file.try_lock() {
                    Ok(()) => {}
                    Err(std::fs::TryLockError::WouldBlock) => {
                        let holder = std::fs::read_to_string(&path).unwrap_or_default();
                        let holder = holder.trim();
                        bail!(
                            "another egov run{} is writing {} {} now; wait for it to finish or choose another {}",
                            if holder.is_empty() {
                                String::new()
                            } else {
                                format!(" (process {holder})")
                            },
                            t.flag,
                            t.given.display(),
                            t.flag
                        );
                    }
                    Err(std::fs::TryLockError::Error(e)) => {
                        return Err(e).with_context(|| format!("cannot lock {}", path.display()));
                    }
                }
                if !still_at(&file, &path) {
                    return Ok(None);
                }
                p.locks.push(path.clone());
                Ok(Some(file))
            })?;
            if let Some(mut file) = acquired {
                file.set_len(0).ok();
                let _ = write!(file, "{}", std::process::id());
                return Ok(Lock {
                    file: Some(file),
                    path,
                });
            }
        }
        bail!(
            "cannot lock {} {}: other egov runs keep starting on it; try again",
            t.flag,
            t.given.display()
        )
    }
}

#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_at(_: &File, path: &Path) -> bool {
    path.exists()
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        drop(self.file.take());
    }
}

// ---------------------------------------------------------------------------------------------
// Output folders.

/// An output folder being written: everything goes to [`OutputDir::path`], a staging folder
/// beside the target, which becomes the target in [`OutputDir::commit`]. Dropped without a
/// commit, it leaves nothing behind.
pub struct OutputDir {
    target: Target,
    staging: PathBuf,
    id: u64,
    lock: Option<Lock>,
    force: bool,
}

impl OutputDir {
    /// Checks `target` (named by `flag`, e.g. `--out`) against the rules of this module and the
    /// run's `inputs`, locks it and creates the staging folder. `force` allows replacing a
    /// non-empty folder that egov wrote.
    pub fn prepare(
        flag: &str,
        target: &Path,
        force: bool,
        inputs: &[Input],
    ) -> anyhow::Result<Self> {
        let t = resolve(flag, target)?;
        check_against_inputs(&t, inputs, true)?;
        check_kind(&t, true)?;
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        // From here on, whatever is created is registered under `id` and removed on failure.
        let mut dir = OutputDir {
            staging: scratch_name(&t, id),
            target: t,
            id,
            lock: None,
            force,
        };
        create_parents(&dir.target, id)?;
        dir.lock = Some(Lock::acquire(&dir.target, id)?);
        if dir.target.exists {
            check_replaceable(&dir.target, force)?;
        }
        with_pending(id, |p| -> anyhow::Result<()> {
            std::fs::create_dir(&dir.staging)
                .map_err(|e| cannot_write(&dir.target, &dir.target.parent, e))?;
            p.scratch.push(dir.staging.clone());
            Ok(())
        })?;
        Ok(dir)
    }

    /// The staging folder to write into.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// The target as the user gave it.
    pub fn target(&self) -> &Path {
        &self.target.given
    }

    /// Writes the marker and moves the staging folder into place, replacing the previous folder
    /// (which [`OutputDir::prepare`] has checked).
    pub fn commit(mut self) -> anyhow::Result<()> {
        let files = list_files(&self.staging)?;
        let mut marker = String::from(MARKER_HEADER);
        for f in &files {
            marker.push_str(f);
            marker.push('\n');
        }
        std::fs::write(self.staging.join(MARKER), marker)
            .with_context(|| format!("cannot write {}", self.target.given.display()))?;
        let t = self.target.clone();
        let shown = t.given.display().to_string();
        // The registry stays locked while folders move and the old one is removed, so an
        // interrupt waits for a consistent state: the new folder in place, nothing else left.
        let mut reg = registry();
        let non_empty = std::fs::read_dir(&t.absolute)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false);
        if non_empty {
            // Checked again now: something may have been added since the run started.
            check_replaceable(&t, self.force)?;
            let mut replaced = OsString::from(format!(
                "{REPLACED_PREFIX}{}-{}-",
                std::process::id(),
                self.id
            ));
            replaced.push(&t.name);
            let replaced = t.parent.join(replaced);
            std::fs::rename(&t.absolute, &replaced)
                .with_context(|| format!("cannot move the previous {shown} aside"))?;
            if let Err(e) = std::fs::rename(&self.staging, &t.absolute) {
                let _ = std::fs::rename(&replaced, &t.absolute);
                return Err(e).with_context(|| format!("cannot create {shown}"));
            }
            self.published(&mut reg);
            std::fs::remove_dir_all(&replaced).with_context(|| {
                format!(
                    "wrote {shown}, but could not remove the previous version, moved to {}; remove it by hand",
                    replaced.display()
                )
            })?;
        } else {
            // rename() replaces an empty folder atomically, and refuses a non-empty one that
            // appeared meanwhile.
            std::fs::rename(&self.staging, &t.absolute).with_context(|| {
                format!("cannot create {shown} (did something else create it meanwhile?)")
            })?;
            self.published(&mut reg);
        }
        Ok(())
    }

    /// The staging folder is now the target: forget it, keep the created folders, drop the lock.
    fn published(&mut self, reg: &mut MutexGuard<'static, Vec<(u64, Pending)>>) {
        if let Some(pos) = reg.iter().position(|(i, _)| *i == self.id) {
            reg.remove(pos);
        }
        self.lock.take();
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        release(self.id, self.lock.take());
    }
}

/// Every file under `dir`, as `/`-separated relative paths, sorted.
fn list_files(dir: &Path) -> anyhow::Result<Vec<String>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> anyhow::Result<()> {
        for entry in
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                walk(root, &path, out)?;
            } else {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// The files egov recorded in a folder it wrote: the marker's list, or, for a report written
/// before markers existed, its `manifest.json`'s. `None`: not an egov folder.
fn egov_files(dir: &Path) -> Option<BTreeSet<String>> {
    if let Ok(text) = std::fs::read_to_string(dir.join(MARKER)) {
        let mut files: BTreeSet<String> = text
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        files.insert(MARKER.into());
        return Some(files);
    }
    let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
    let manifest: serde_json::Value = serde_json::from_str(&text).ok()?;
    if manifest["toolkit"]["name"] != "egov" {
        return None;
    }
    let mut files: BTreeSet<String> = manifest["files"]
        .as_array()?
        .iter()
        .filter_map(|f| f.as_str().map(str::to_string))
        .collect();
    files.insert("manifest.json".into());
    Some(files)
}

/// The first read-only folder at or under `dir`.
fn read_only_folder(dir: &Path) -> Option<PathBuf> {
    if std::fs::metadata(dir).ok()?.permissions().readonly() {
        return Some(dir.to_path_buf());
    }
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        if entry.file_type().is_ok_and(|f| f.is_dir())
            && let Some(found) = read_only_folder(&entry.path())
        {
            return Some(found);
        }
    }
    None
}

/// An existing target may be replaced when it is empty, or with `force` when egov wrote it and
/// it holds nothing else.
fn check_replaceable(t: &Target, force: bool) -> anyhow::Result<()> {
    let (flag, shown) = (&t.flag, t.given.display());
    let empty = std::fs::read_dir(&t.absolute)
        .with_context(|| format!("cannot read {flag} {shown}"))?
        .next()
        .is_none();
    if empty {
        return Ok(());
    }
    if !force {
        bail!(
            "the output folder {shown} is not empty; choose another {flag}, or pass --force to replace it (only a folder egov wrote can be replaced)"
        );
    }
    let Some(ours) = egov_files(&t.absolute) else {
        bail!(
            "{flag} {shown} is not a folder egov wrote (it has no {MARKER} file), so --force does not replace it; choose another {flag}, or empty or remove the folder yourself"
        );
    };
    let foreign: Vec<String> = list_files(&t.absolute)?
        .into_iter()
        .filter(|f| !ours.contains(f))
        .collect();
    // The old folder is removed once the new one is in place: a read-only folder in it would
    // stop that halfway, so it is refused now.
    if let Some(dir) = read_only_folder(&t.absolute) {
        let which = match dir.strip_prefix(&t.absolute) {
            Ok(rel) if rel.as_os_str().is_empty() => "it is read-only".to_string(),
            Ok(rel) => format!("its folder {} is read-only", rel.display()),
            Err(_) => format!("{} is read-only", dir.display()),
        };
        bail!(
            "{flag} {shown} cannot be replaced: {which}; make it writable (chmod u+w) or choose another {flag}"
        );
    }
    if !foreign.is_empty() {
        let shown_files: Vec<&str> = foreign.iter().take(3).map(String::as_str).collect();
        bail!(
            "{flag} {shown} holds {} file(s) egov did not write ({}{}), so --force does not replace it; move them elsewhere or choose another {flag}",
            foreign.len(),
            shown_files.join(", "),
            if foreign.len() > 3 { ", …" } else { "" }
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Output files.

/// An output file being written: write to [`OutputFile::path`] (a hidden sibling with the same
/// extension), then [`OutputFile::commit`] or [`commit_files`]. Dropped without a commit, it
/// leaves nothing behind. An existing file at the target is replaced only by the commit.
pub struct OutputFile {
    target: Target,
    temp: PathBuf,
    id: u64,
    lock: Option<Lock>,
}

impl OutputFile {
    /// Checks `target` (named by `flag`) and the run's `inputs`, locks it and creates the empty
    /// temporary file.
    pub fn prepare(flag: &str, target: &Path, inputs: &[Input]) -> anyhow::Result<Self> {
        let t = resolve(flag, target)?;
        check_against_inputs(&t, inputs, false)?;
        check_kind(&t, false)?;
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let mut file = OutputFile {
            temp: scratch_name(&t, id),
            target: t,
            id,
            lock: None,
        };
        create_parents(&file.target, id)?;
        file.lock = Some(Lock::acquire(&file.target, id)?);
        with_pending(id, |p| -> anyhow::Result<()> {
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&file.temp)
                .map_err(|e| cannot_write(&file.target, &file.target.parent, e))?;
            p.scratch.push(file.temp.clone());
            Ok(())
        })?;
        Ok(file)
    }

    /// Prepares several output files of one run, refusing two flags that name the same file.
    pub fn prepare_all(outputs: &[(&str, &Path)], inputs: &[Input]) -> anyhow::Result<Vec<Self>> {
        let mut seen: Vec<(&str, &Path, PathBuf)> = Vec::new();
        for &(flag, path) in outputs {
            let (abs, _) = absolute(path)?;
            if let Some((other, other_path, _)) = seen.iter().find(|(_, _, a)| *a == abs) {
                bail!(
                    "{flag} {} is the same file as {other} {}; give each output its own path",
                    path.display(),
                    other_path.display()
                );
            }
            seen.push((flag, path, abs));
        }
        outputs
            .iter()
            .map(|&(flag, path)| OutputFile::prepare(flag, path, inputs))
            .collect()
    }

    /// The temporary file to write (it exists, empty).
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// The target as the user gave it.
    pub fn target(&self) -> &Path {
        &self.target.given
    }

    /// Opens the temporary file for writing.
    pub fn create(&self) -> anyhow::Result<File> {
        File::create(&self.temp)
            .with_context(|| format!("cannot write {}", self.target.given.display()))
    }

    /// Renames the file into place.
    pub fn commit(self) -> anyhow::Result<()> {
        commit_files(vec![self])
    }

    fn publish(
        &mut self,
        reg: &mut MutexGuard<'static, Vec<(u64, Pending)>>,
    ) -> anyhow::Result<()> {
        make_readable(&self.temp);
        std::fs::rename(&self.temp, &self.target.absolute)
            .with_context(|| format!("cannot write {}", self.target.given.display()))?;
        if let Some(pos) = reg.iter().position(|(i, _)| *i == self.id) {
            reg.remove(pos);
        }
        self.lock.take();
        Ok(())
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        release(self.id, self.lock.take());
    }
}

/// Renames prepared files into place together (nothing is renamed before every file is
/// written; an interrupt waits until all are in place).
pub fn commit_files(mut files: Vec<OutputFile>) -> anyhow::Result<()> {
    let mut reg = registry();
    for f in &mut files {
        f.publish(&mut reg)?;
    }
    drop(reg);
    Ok(())
}

/// Writes `bytes` to `target` through an [`OutputFile`].
pub fn write_file(flag: &str, target: &Path, inputs: &[Input], bytes: &[u8]) -> anyhow::Result<()> {
    let file = OutputFile::prepare(flag, target, inputs)?;
    std::fs::write(file.path(), bytes)
        .with_context(|| format!("cannot write {}", target.display()))?;
    file.commit()
}

/// Temporary files are created private on some systems; a finished output file gets 0644.
fn make_readable(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644));
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".egov-"))
            .collect()
    }

    #[test]
    fn a_dropped_folder_leaves_nothing_and_a_committed_one_is_marked() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("a/b/out");
        let dir = OutputDir::prepare("--out", &out, false, &[]).unwrap();
        std::fs::write(dir.path().join("x.txt"), "x").unwrap();
        drop(dir);
        assert!(
            !tmp.path().join("a").exists(),
            "created parents are removed"
        );
        assert!(leftovers(tmp.path()).is_empty());

        let dir = OutputDir::prepare("--out", &out, false, &[]).unwrap();
        std::fs::create_dir(dir.path().join("t")).unwrap();
        std::fs::write(dir.path().join("t/x.txt"), "x").unwrap();
        dir.commit().unwrap();
        let marker = std::fs::read_to_string(out.join(MARKER)).unwrap();
        assert!(marker.ends_with("\nt/x.txt\n"), "{marker}");
        assert!(leftovers(out.parent().unwrap()).is_empty());

        // Replaced with --force, refused once a foreign file is added.
        let dir = OutputDir::prepare("--out", &out, true, &[]).unwrap();
        std::fs::write(dir.path().join("y.txt"), "y").unwrap();
        dir.commit().unwrap();
        assert!(!out.join("t").exists() && out.join("y.txt").exists());
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let err = OutputDir::prepare("--out", &out, true, &[])
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("holds 1 file(s) egov did not write (notes.txt)"),
            "{err}"
        );
    }

    #[test]
    fn a_file_added_to_the_old_folder_during_the_run_stops_the_replacement() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let dir = OutputDir::prepare("--out", &out, false, &[]).unwrap();
        std::fs::write(dir.path().join("a.txt"), "a").unwrap();
        dir.commit().unwrap();
        let dir = OutputDir::prepare("--out", &out, true, &[]).unwrap();
        std::fs::write(dir.path().join("b.txt"), "b").unwrap();
        std::fs::write(out.join("late.txt"), "mine").unwrap();
        let err = dir.commit().err().unwrap().to_string();
        assert!(err.contains("egov did not write (late.txt)"), "{err}");
        assert_eq!(
            std::fs::read_to_string(out.join("late.txt")).unwrap(),
            "mine"
        );
        assert!(out.join("a.txt").exists() && !out.join("b.txt").exists());
        assert!(leftovers(tmp.path()).is_empty());
    }

    #[test]
    fn lexical_parts_of_a_missing_path_are_normalised() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        let (abs, existing) = absolute(&tmp.path().join("x/../y/./z")).unwrap();
        assert_eq!(abs, base.join("y/z"));
        assert_eq!(existing, base);
    }

    #[test]
    fn files_are_renamed_into_place_together() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("a.csv");
        let b = tmp.path().join("b.toml");
        let files = OutputFile::prepare_all(&[("--out", &a), ("--codebook-out", &b)], &[]).unwrap();
        std::fs::write(files[0].path(), "a").unwrap();
        std::fs::write(files[1].path(), "b").unwrap();
        assert!(!a.exists());
        commit_files(files).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "a");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "b");
        assert!(leftovers(tmp.path()).is_empty());
        let err = OutputFile::prepare_all(&[("--out", &a), ("--codebook-out", &a)], &[])
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("is the same file as --out"), "{err}");
    }
}
