//! Chart specifications and their rendering.
//!
//! A [`ChartSpec`] carries the data, never a picture: HTML gets SVG drawn from it, DOCX gets a
//! PNG rasterised from that same SVG, so the two can only differ in pixels.

mod font;
mod png;
pub(crate) mod scale;
pub(crate) mod svg;

use serde::{Deserialize, Serialize};

use crate::error::DocumentError;

pub use font::{CjkFont, FontSearch};
pub(crate) use png::rasterize;
pub use png::{ChartRenderer, Png};
pub use svg::render_svg;

/// What kind of chart and how its bars are arranged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChartKind {
    /// Bars per category; `horizontal` puts categories on the vertical axis (rankings),
    /// `stacked` piles the series instead of placing them side by side.
    Bar { horizontal: bool, stacked: bool },
    /// One line per series over the categories (months); series marked `secondary` use the
    /// right-hand axis, for a small count next to a large one.
    Line,
}

/// The data of one chart.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChartSpec {
    /// Caption ("图1 …" is added by the renderer's numbering, not here).
    pub title: String,
    pub kind: ChartKind,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    #[serde(default)]
    pub axis: Axis,
    /// Right-hand axis for line series with `secondary: true`.
    #[serde(default)]
    pub secondary_axis: Option<Axis>,
    /// Drawing width in CSS pixels; 720 when absent. Height follows from the kind and the
    /// number of categories unless given.
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
    /// A note printed under the chart (source, definitions).
    #[serde(default)]
    pub note: Option<String>,
}

/// One data series.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
    /// Printed value labels, one per category (already formatted by the report's policy).
    /// Without them no value labels are drawn: a renderer never formats a report figure.
    #[serde(default)]
    pub labels: Option<Vec<String>>,
    #[serde(default)]
    pub secondary: bool,
    /// `#rrggbb`; the palette colour of the series' position when absent.
    #[serde(default)]
    pub color: Option<String>,
}

/// A value axis.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Axis {
    /// Printed at the end of the axis, e.g. "评价数(条)".
    pub label: Option<String>,
    /// Appended to tick labels, e.g. "%".
    pub suffix: Option<String>,
    /// Axis range; the data range (from zero) when absent.
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl Series {
    pub fn new(name: impl Into<String>, values: Vec<f64>) -> Self {
        Self {
            name: name.into(),
            values,
            labels: None,
            secondary: false,
            color: None,
        }
    }

    pub fn with_labels(mut self, labels: Vec<String>) -> Self {
        self.labels = Some(labels);
        self
    }

    pub fn on_secondary_axis(mut self) -> Self {
        self.secondary = true;
        self
    }

    pub fn color(mut self, color: impl Into<String>) -> Self {
        self.color = Some(color.into());
        self
    }
}

impl Axis {
    pub fn labelled(label: impl Into<String>) -> Self {
        Self {
            label: Some(label.into()),
            ..Self::default()
        }
    }
}

impl ChartSpec {
    pub fn new(title: impl Into<String>, kind: ChartKind, categories: Vec<String>) -> Self {
        Self {
            title: title.into(),
            kind,
            categories,
            series: Vec::new(),
            axis: Axis::default(),
            secondary_axis: None,
            width: None,
            height: None,
            note: None,
        }
    }

    pub fn series(mut self, s: Series) -> Self {
        self.series.push(s);
        self
    }

    pub fn axis(mut self, axis: Axis) -> Self {
        self.axis = axis;
        self
    }

    pub fn secondary_axis(mut self, axis: Axis) -> Self {
        self.secondary_axis = Some(axis);
        self
    }

    /// Every string the chart will draw, for checking font coverage before rasterising.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        let labels = self.series.iter().flat_map(|s| s.labels.iter().flatten());
        let axes = [&self.axis.label, &self.axis.suffix]
            .into_iter()
            .chain(
                self.secondary_axis
                    .iter()
                    .flat_map(|a| [&a.label, &a.suffix]),
            )
            .flatten();
        self.categories
            .iter()
            .chain(self.series.iter().map(|s| &s.name))
            .chain(labels)
            .chain(axes)
            .map(String::as_str)
    }

    /// Checks lengths and values so drawing never meets a surprise.
    pub fn validate(&self) -> Result<(), DocumentError> {
        let bad = |reason: String| DocumentError::Chart {
            chart: self.title.clone(),
            reason,
        };
        if self.categories.is_empty() || self.series.is_empty() {
            return Err(bad("没有分类或数据系列".into()));
        }
        let n = self.categories.len();
        for s in &self.series {
            if s.values.len() != n {
                return Err(bad(format!(
                    "系列“{}”有 {} 个值,分类有 {n} 个",
                    s.name,
                    s.values.len()
                )));
            }
            if let Some(l) = &s.labels
                && l.len() != n
            {
                return Err(bad(format!(
                    "系列“{}”有 {} 个数值标签,分类有 {n} 个",
                    s.name,
                    l.len()
                )));
            }
            if s.values.iter().any(|v| !v.is_finite()) {
                return Err(bad(format!("系列“{}”含非有限数值", s.name)));
            }
            if s.secondary && (self.kind != ChartKind::Line || self.secondary_axis.is_none()) {
                return Err(bad(format!(
                    "系列“{}”使用右轴,但只有折线图且设置了右轴时才可用",
                    s.name
                )));
            }
            if let Some(c) = &s.color
                && !svg::is_hex_color(c)
            {
                return Err(bad(format!("系列“{}”的颜色“{c}”不是 #rrggbb 形式", s.name)));
            }
        }
        if let ChartKind::Bar { stacked: true, .. } = self.kind
            && self
                .series
                .iter()
                .any(|s| s.values.iter().any(|v| *v < 0.0))
        {
            return Err(bad("堆叠柱状图不支持负值".into()));
        }
        Ok(())
    }
}
