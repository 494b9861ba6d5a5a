//! Writing the city through the store's import API, one import session per kind, exactly as
//! files of each kind would be imported. Keys are the records' natural numbers, so a second
//! run finds every row already there and changes nothing.

use crate::world::World;
use jianping_store::{ImportSummary, RowExt, Store, StoreError};
use sha2::{Digest, Sha256};

/// What `import_id`s name as their file: a demo marker, not a path.
pub const FILE_PREFIX: &str = "demo:乌海市2023/";

const CHUNK: usize = 20_000;

#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub imports: Vec<ImportSummary>,
    /// Ledger items taken through the rectification loop by this run.
    pub ledger: crate::ledger::LedgerWalk,
}

impl DemoSummary {
    pub fn inserted(&self) -> u64 {
        self.imports.iter().map(|s| s.inserted).sum()
    }
    pub fn updated(&self) -> u64 {
        self.imports.iter().map(|s| s.updated).sum()
    }
    /// Dimensions an import had to invent because an earlier kind did not define them.
    /// Packages are the exception: 一件事 packages exist only as named by cases.
    pub fn invented(&self) -> usize {
        self.imports
            .iter()
            .map(|s| s.created.total() - s.created.packages.len())
            .sum()
    }
}

/// Imports not written by the demo (real data the demo would mix with).
pub fn foreign_imports(store: &mut Store) -> Result<i64, StoreError> {
    let rows = store.backend().query(
        "SELECT COUNT(*) FROM imports WHERE file_name NOT LIKE ?",
        &[format!("{FILE_PREFIX}%").into()],
    )?;
    Ok(rows.first().map(|r| r.int(0)).unwrap_or(0))
}

fn session<F>(
    store: &mut Store,
    world: &World,
    kind: &str,
    fill: F,
) -> Result<ImportSummary, StoreError>
where
    F: FnOnce(&mut jianping_store::ImportSession<'_>) -> Result<(), StoreError>,
{
    let descriptor = format!("{FILE_PREFIX}{kind}#seed={:x}", world.seed);
    let sha: String = Sha256::digest(descriptor.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut s = store.begin_import(kind, &format!("{FILE_PREFIX}{kind}"), &sha)?;
    // Registered as of the report date, not the wall clock, so every run writes the same rows.
    s.ledger_clock(crate::ledger::period_end());
    fill(&mut s)?;
    s.commit()
}

/// Writes every kind in dependency order; `progress` hears each kind as it completes.
pub fn write(
    store: &mut Store,
    world: &World,
    mut progress: impl FnMut(&ImportSummary),
) -> Result<DemoSummary, StoreError> {
    let mut out = DemoSummary::default();
    let mut done = |s: ImportSummary| {
        progress(&s);
        out.imports.push(s);
    };
    done(session(store, world, "regions", |s| {
        s.regions(&world.regions())
    })?);
    done(session(store, world, "departments", |s| {
        s.departments(&world.departments())
    })?);
    done(session(store, world, "halls", |s| s.halls(&world.halls()))?);
    done(session(store, world, "windows", |s| {
        s.windows(&world.windows())
    })?);
    done(session(store, world, "staff", |s| s.staff(&world.staff()))?);
    done(session(store, world, "matters", |s| {
        s.matters(&world.matters(false))?;
        s.matters(&world.matters(true))
    })?);
    done(session(store, world, "cases", |s| {
        for start in (0..world.cases.len()).step_by(CHUNK) {
            let end = (start + CHUNK).min(world.cases.len());
            s.cases(&world.case_records(start..end))?;
        }
        Ok(())
    })?);
    done(session(store, world, "ratings", |s| {
        for start in (0..world.ratings.len()).step_by(CHUNK) {
            let end = (start + CHUNK).min(world.ratings.len());
            s.ratings(&world.rating_records(start..end))?;
        }
        Ok(())
    })?);
    done(session(store, world, "hotline", |s| {
        s.tickets(&world.tickets)
    })?);
    done(session(store, world, "supervisors", |s| {
        s.supervisors(&world.supervisors)
    })?);
    done(session(store, world, "feedback", |s| {
        s.feedback(&world.feedback)
    })?);
    done(session(store, world, "qr-reports", |s| {
        s.qr_reports(&world.qr_reports)
    })?);
    done(session(store, world, "assessments", |s| {
        s.assessments(&world.assessments)
    })?);
    done(session(store, world, "reported-stats", |s| {
        s.reported_stats(&world.reported_stats)
    })?);
    out.ledger = crate::ledger::walk(store, world)?;
    Ok(out)
}
