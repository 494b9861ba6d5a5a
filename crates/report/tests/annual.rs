//! The annual report on a small hand-made city, on both backends.

mod common;
mod dataset;

use jianping_report::render::{annual_json, annual_markdown};
use jianping_report::{AnnualSettings, build_annual};

both_backends! {
    scratch(t) {
        dataset::load(&mut t.store);
        let r = build_annual(&mut t.store, &dataset::period(), &AnnualSettings::default()).unwrap();
        let md = annual_markdown(&r).unwrap();
        println!("{md}");
        let _ = annual_json(&r).unwrap();
    }
}
