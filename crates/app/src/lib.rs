//! jianping-app: the application layer. What the command line and the server both do —
//! read the bureau's configuration, resolve a request's settings against it, build and
//! render reports, run imports, produce the ledger sheet — lives here once, so that both
//! front ends stay thin. Nothing here prints or exits: results and typed errors go back to
//! the caller, which decides how to show them.

pub mod accounts;
pub mod audit;
pub mod audit_log;
pub mod bulletin;
pub mod config;
pub mod documents;
pub mod error;
pub mod import;
pub mod ledger;
pub mod qr;
pub mod reports;
pub mod settings;
pub mod stats;

pub use config::Config;
pub use documents::{Rendered, ReportFormat};
pub use error::{AppError, ErrorKind, Result};

use jianping_store::{Store, Target};

/// Opens the store named by a path or a URL (`--db` / `--database-url`).
pub fn open_store(db: &std::path::Path, database_url: Option<&str>) -> Result<Store> {
    let target = match database_url {
        Some(url) => Target::parse(url)?,
        None => Target::Sqlite(db.to_path_buf()),
    };
    Ok(Store::open(&target)?)
}
