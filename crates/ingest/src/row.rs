//! Typed access to the cells of one row. Every getter records what is wrong and returns
//! `None`, so one pass reports all the bad cells of a row, not just the first.

use crate::Options;
use crate::error::CellError;
use crate::header::{Col, Mapping};
use crate::source::{Cell, RawRow, SheetPlace};
use crate::values;
use chrono::{NaiveDate, NaiveDateTime};
use jianping_core::RegionCode;

pub(crate) struct RowCtx<'a> {
    row: &'a RawRow,
    map: &'a Mapping,
    columns: &'a [Col],
    place: Option<&'a SheetPlace>,
    pub(crate) opts: &'a Options,
    pub(crate) errors: Vec<CellError>,
}

impl<'a> RowCtx<'a> {
    pub(crate) fn new(
        row: &'a RawRow,
        map: &'a Mapping,
        columns: &'a [Col],
        place: Option<&'a SheetPlace>,
        opts: &'a Options,
    ) -> Self {
        RowCtx {
            row,
            map,
            columns,
            place,
            opts,
            errors: Vec::new(),
        }
    }

    fn cell(&self, c: usize) -> Cell<'a> {
        match self.map.cols[c] {
            Some(i) => self.row.cell(i),
            None => Cell::Empty,
        }
    }

    /// Whether the file has this column at all.
    pub(crate) fn has(&self, c: usize) -> bool {
        self.map.cols[c].is_some()
    }

    pub(crate) fn fail(&mut self, c: usize, reason: impl Into<String>) {
        self.errors.push(CellError {
            column: self.map.header_of(self.columns, c),
            reason: reason.into(),
            cell: self
                .place
                .map(|p| p.cell(self.map.cols[c], self.row.number)),
        });
    }

    fn missing(&mut self, c: usize) {
        let what = self.columns[c].name;
        self.fail(c, format!("缺少必填的{what}"));
    }

    /// Optional text, trimmed; empty is `None`.
    pub(crate) fn text(&mut self, c: usize) -> Option<String> {
        match self.cell(c) {
            Cell::Empty => None,
            Cell::Error(e) => {
                self.fail(c, format!("单元格是错误值 {e}"));
                None
            }
            cell => Some(values::cell_text(&cell)),
        }
    }

    pub(crate) fn req_text(&mut self, c: usize) -> Option<String> {
        if matches!(self.cell(c), Cell::Empty) {
            self.missing(c);
            return None;
        }
        self.text(c)
    }

    /// An identifier: like text, but a number cell loses its ".0" and damaged codes are refused.
    pub(crate) fn code(&mut self, c: usize) -> Option<String> {
        let cell = self.cell(c);
        match values::cell_code(&cell) {
            Ok(v) => v,
            Err(e) => {
                self.fail(c, e);
                None
            }
        }
    }

    pub(crate) fn req_code(&mut self, c: usize) -> Option<String> {
        if matches!(self.cell(c), Cell::Empty) {
            self.missing(c);
            return None;
        }
        self.code(c)
    }

    /// Parses optional text with `f`.
    pub(crate) fn parse<T>(
        &mut self,
        c: usize,
        f: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let text = self.code(c)?;
        match f(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(c, e);
                None
            }
        }
    }

    pub(crate) fn req_parse<T>(
        &mut self,
        c: usize,
        f: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        if matches!(self.cell(c), Cell::Empty) {
            self.missing(c);
            return None;
        }
        self.parse(c, f)
    }

    pub(crate) fn region(&mut self, c: usize) -> Option<RegionCode> {
        self.parse(c, RegionCode::parse)
    }

    pub(crate) fn req_region(&mut self, c: usize) -> Option<RegionCode> {
        self.req_parse(c, RegionCode::parse)
    }

    pub(crate) fn datetime(&mut self, c: usize) -> Option<NaiveDateTime> {
        let cell = self.cell(c);
        if matches!(cell, Cell::Empty) {
            return None;
        }
        match values::cell_datetime(&cell) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(c, e);
                None
            }
        }
    }

    pub(crate) fn req_datetime(&mut self, c: usize) -> Option<NaiveDateTime> {
        if matches!(self.cell(c), Cell::Empty) {
            self.missing(c);
            return None;
        }
        self.datetime(c)
    }

    pub(crate) fn date(&mut self, c: usize) -> Option<NaiveDate> {
        self.datetime(c).map(|dt| dt.date())
    }

    pub(crate) fn req_date(&mut self, c: usize) -> Option<NaiveDate> {
        self.req_datetime(c).map(|dt| dt.date())
    }

    /// A yes/no cell; empty (or an absent column) is `default`.
    pub(crate) fn flag(&mut self, c: usize, default: bool) -> bool {
        match self.cell(c) {
            Cell::Empty => default,
            Cell::Bool(b) => b,
            Cell::Number(f) if f == 1.0 || f == 0.0 => f == 1.0,
            cell => match values::parse_bool(&values::cell_text(&cell)) {
                Ok(b) => b,
                Err(e) => {
                    self.fail(c, e);
                    default
                }
            },
        }
    }

    pub(crate) fn days(&mut self, c: usize) -> Option<u32> {
        self.parse(c, values::parse_days)
    }

    pub(crate) fn number(&mut self, c: usize) -> Option<f64> {
        match self.cell(c) {
            Cell::Number(f) => Some(f),
            _ => self.parse(c, values::parse_number),
        }
    }

    pub(crate) fn req_number(&mut self, c: usize) -> Option<f64> {
        if matches!(self.cell(c), Cell::Empty) {
            self.missing(c);
            return None;
        }
        self.number(c)
    }
}
