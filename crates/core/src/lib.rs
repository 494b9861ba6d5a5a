//! jianping-core: the domain of government-service supervision and evaluation, without I/O.

pub mod access;
pub mod audit;
pub mod calendar;
pub mod channel;
pub mod grade;
pub mod hotline;
pub mod ledger;
pub mod named;
pub mod privacy;
pub mod public_url;
pub mod rate;
pub mod records;
pub mod region;
pub mod satisfaction;
pub mod time;

pub use channel::Channel;
pub use grade::{Grade, GradeCodes, GradeCounts};
pub use hotline::{HandlingMode, Response, TicketKind, TicketSource};
pub use public_url::PublicUrl;
pub use rate::{Rate, RatePolicy, Rounding};
pub use region::{RegionCode, RegionLevel, ReportTier};
pub use satisfaction::{GradeSets, QualityWarning, RatingSummary};
pub use time::Period;
pub mod catalog;
pub mod hotline_kpi;
pub mod indicators;
