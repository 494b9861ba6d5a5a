//! jianping-demo: the demo city. Builds 乌海市's 2023 as raw records — the kind of data a
//! bureau would import — such that every figure of the seed report computes from them
//! (docs/report-figures.md). Deterministic: one fixed seed, so every run writes the same rows.

pub mod calendar;
pub mod cases;
pub mod catalog;
pub mod channels;
mod flags;
pub mod ledger;
pub mod matter_names;
pub mod names;
pub mod org;
pub mod plan;
pub mod planted;
pub mod ratings;
pub mod scores;
mod staffing;
pub mod targets;
pub mod world;
pub mod write;

pub use world::World;
pub use write::{DemoSummary, foreign_imports, write};

/// The demo city's seed. Changing it changes every row (and keeps every figure).
pub const SEED: u64 = 0x5_1503_2023;

#[cfg(test)]
mod figures_test;
