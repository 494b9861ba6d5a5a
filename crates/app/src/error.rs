//! One error type for everything the application layer does, classified once so that the
//! command line (exit status) and the server (HTTP status) answer alike.

use jianping_report::ReportError;
use jianping_store::StoreError;

/// What kind of failure, independent of how it is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A bad argument value (CLI exit status 2, HTTP 400).
    Usage,
    /// Input that cannot be accepted (HTTP 422).
    Invalid,
    NotFound,
    Forbidden,
    /// A state that does not allow the step (HTTP 409).
    Conflict,
    /// Busy or unreachable: retrying later may succeed (HTTP 503).
    Unavailable,
    Internal,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error("{0:#}")]
    Other(#[from] anyhow::Error),
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    pub fn usage(message: impl Into<String>) -> AppError {
        AppError::Usage(message.into())
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            AppError::Usage(_) => ErrorKind::Usage,
            AppError::Invalid(_) => ErrorKind::Invalid,
            AppError::NotFound(_) => ErrorKind::NotFound,
            AppError::Forbidden(_) => ErrorKind::Forbidden,
            AppError::Conflict(_) => ErrorKind::Conflict,
            AppError::Unavailable(_) => ErrorKind::Unavailable,
            AppError::Store(e) => store_kind(e),
            AppError::Report(ReportError::Store(e)) => store_kind(e),
            AppError::Report(ReportError::Settings(_)) => ErrorKind::Invalid,
            AppError::Report(_) => ErrorKind::Internal,
            AppError::Other(e) => e
                .chain()
                .find_map(|c| {
                    c.downcast_ref::<StoreError>().map(store_kind).or_else(|| {
                        c.downcast_ref::<AppError>()
                            .filter(|a| !matches!(a, AppError::Other(_)))
                            .map(AppError::kind)
                    })
                })
                .unwrap_or(ErrorKind::Internal),
        }
    }
}

/// The store's errors by kind; the store words the messages.
pub fn store_kind(e: &StoreError) -> ErrorKind {
    match e {
        StoreError::NotFound(_) => ErrorKind::NotFound,
        StoreError::Invalid(_) => ErrorKind::Invalid,
        StoreError::Forbidden(_) => ErrorKind::Forbidden,
        StoreError::Conflict(_) => ErrorKind::Conflict,
        StoreError::Unavailable(_) => ErrorKind::Unavailable,
        e if e.is_transient() => ErrorKind::Unavailable,
        StoreError::Open(_) => ErrorKind::Unavailable,
        _ => ErrorKind::Internal,
    }
}

/// The kind of any error the CLI's `anyhow` chain carries.
pub fn kind_of(e: &anyhow::Error) -> ErrorKind {
    e.chain()
        .find_map(|c| {
            c.downcast_ref::<AppError>()
                .map(AppError::kind)
                .or_else(|| c.downcast_ref::<StoreError>().map(store_kind))
        })
        .unwrap_or(ErrorKind::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_survive_wrapping() {
        let e = anyhow::Error::new(AppError::usage("--precision 9 过大")).context("报告");
        assert_eq!(kind_of(&e), ErrorKind::Usage);
        let e = AppError::from(StoreError::NotFound("没有该事项".into()));
        assert_eq!(e.kind(), ErrorKind::NotFound);
        let wrapped = AppError::Other(anyhow::Error::new(StoreError::Invalid("x".into())));
        assert_eq!(wrapped.kind(), ErrorKind::Invalid);
        assert_eq!(
            AppError::Other(anyhow::anyhow!("无法写入")).kind(),
            ErrorKind::Internal
        );
    }
}
