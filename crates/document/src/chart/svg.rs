//! Hand-written SVG for the few chart kinds reports need.
//!
//! Written by hand rather than with plotters because the layout work is in the labels: CJK
//! category names that must wrap, value labels that must fit or be left out, a legend that
//! wraps on a phone-width drawing. The output uses only rect/line/polyline/circle/text, which
//! browsers and resvg render the same way.

use std::fmt::Write as _;

use super::scale::{Scale, text_width, wrap};
use super::{ChartKind, ChartSpec, Series};
use crate::error::DocumentError;

/// Font stack for chart text. Browsers pick the first installed family; resvg is given the
/// located CJK font as `sans-serif`.
pub const FONT_STACK: &str = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif";

/// Colours that stay distinguishable when a report is printed in greyscale (alternating
/// dark and light tones).
const PALETTE: [&str; 8] = [
    "#2f5597", "#ed7d31", "#548235", "#ffc000", "#7030a0", "#9dc3e6", "#c00000", "#a5a5a5",
];
const LABEL: f64 = 13.0;
const VALUE: f64 = 12.0;
const INK: &str = "#333333";
const GRID: &str = "#e3e3e3";
const DEFAULT_WIDTH: u32 = 720;
const DEFAULT_HEIGHT: u32 = 400;

pub fn is_hex_color(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|h| h.is_ascii_hexdigit())
}

/// Draws `spec` as a standalone SVG document (also valid inline in HTML).
pub fn render_svg(spec: &ChartSpec) -> Result<String, DocumentError> {
    spec.validate()?;
    let width = f64::from(spec.width.unwrap_or(DEFAULT_WIDTH).max(240));
    let mut svg = Svg::default();
    let height = match spec.kind {
        ChartKind::Bar {
            horizontal: true,
            stacked,
        } => draw_hbars(&mut svg, spec, width, stacked),
        ChartKind::Bar {
            horizontal: false,
            stacked,
        } => draw_columns(&mut svg, spec, width, stacked),
        ChartKind::Line => draw_lines(&mut svg, spec, width),
    };
    let mut out = String::with_capacity(svg.body.len() + 400);
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="{f}" role="img" aria-label="{t}"><title>{t}</title><rect width="{w}" height="{h}" fill="#ffffff"/>"##,
        w = width,
        h = height.ceil(),
        f = FONT_STACK,
        t = esc(&spec.title),
    );
    out.push_str(&svg.body);
    out.push_str("</svg>");
    Ok(out)
}

fn color(spec_series: &Series, i: usize) -> &str {
    spec_series
        .color
        .as_deref()
        .unwrap_or(PALETTE[i % PALETTE.len()])
}

/// Plot area in drawing coordinates.
#[derive(Debug, Clone, Copy)]
struct Frame {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Frame {
    fn w(&self) -> f64 {
        self.right - self.left
    }
    fn h(&self) -> f64 {
        self.bottom - self.top
    }
}

fn value_scale(series: &[&Series], stacked: bool, axis: &super::Axis) -> Scale {
    let (lo, hi) = data_range(series, stacked);
    let whole = series
        .iter()
        .all(|s| s.values.iter().all(|v| v.fract() == 0.0));
    Scale::new(lo, hi, axis.min, axis.max, whole)
}

fn data_range(series: &[&Series], stacked: bool) -> (f64, f64) {
    let n = series.first().map_or(0, |s| s.values.len());
    let mut lo = 0f64;
    let mut hi = 0f64;
    for i in 0..n {
        if stacked {
            hi = hi.max(series.iter().map(|s| s.values[i]).sum());
        } else {
            for s in series {
                lo = lo.min(s.values[i]);
                hi = hi.max(s.values[i]);
            }
        }
    }
    (lo, hi)
}

fn primary(spec: &ChartSpec) -> Vec<&Series> {
    spec.series.iter().filter(|s| !s.secondary).collect()
}

/// Vertical bars over categories.
fn draw_columns(svg: &mut Svg, spec: &ChartSpec, width: f64, stacked: bool) -> f64 {
    let series = primary(spec);
    let scale = value_scale(&series, stacked, &spec.axis);
    let height = f64::from(spec.height.unwrap_or(DEFAULT_HEIGHT));
    let frame = category_frame(svg, spec, width, height, &scale, None);
    let band = frame.w() / spec.categories.len() as f64;
    let slots = if stacked { 1.0 } else { series.len() as f64 };
    let bar = band * 0.72 / slots;
    let y_of = |v: f64| frame.bottom - scale.frac(v) * frame.h();
    for (ci, _) in spec.categories.iter().enumerate() {
        let x0 = frame.left + band * ci as f64 + band * 0.14;
        let mut base = 0.0;
        for (si, s) in series.iter().enumerate() {
            let v = s.values[ci];
            let (from, to) = if stacked { (base, base + v) } else { (0.0, v) };
            base += v;
            let x = if stacked { x0 } else { x0 + bar * si as f64 };
            let (ya, yb) = (y_of(from), y_of(to));
            svg.rect(x, ya.min(yb), bar, (ya - yb).abs(), color(s, si));
            let Some(label) = s.labels.as_ref().map(|l| l[ci].as_str()) else {
                continue;
            };
            let lw = text_width(label, VALUE);
            if stacked {
                if (ya - yb).abs() >= VALUE + 2.0 && lw <= bar - 2.0 {
                    svg.text(
                        x + bar / 2.0,
                        (ya + yb) / 2.0 + VALUE * 0.35,
                        VALUE,
                        "middle",
                        "#ffffff",
                        label,
                    );
                }
            } else if lw <= band / slots + 2.0 {
                svg.text(x + bar / 2.0, yb.min(ya) - 4.0, VALUE, "middle", INK, label);
            }
        }
    }
    svg.line(
        frame.left,
        y_of(0f64.max(scale.lo)),
        frame.right,
        y_of(0f64.max(scale.lo)),
        "#666666",
    );
    height
}

/// Lines over categories, with an optional right-hand axis.
fn draw_lines(svg: &mut Svg, spec: &ChartSpec, width: f64) -> f64 {
    let left: Vec<&Series> = primary(spec);
    let right: Vec<&Series> = spec.series.iter().filter(|s| s.secondary).collect();
    let scale = value_scale(&left, false, &spec.axis);
    let scale2 = spec
        .secondary_axis
        .as_ref()
        .map(|a| (value_scale(&right, false, a), a));
    let height = f64::from(spec.height.unwrap_or(DEFAULT_HEIGHT));
    let frame = category_frame(
        svg,
        spec,
        width,
        height,
        &scale,
        scale2.as_ref().map(|(s, a)| (s, *a)),
    );
    let band = frame.w() / spec.categories.len() as f64;
    for (si, s) in spec.series.iter().enumerate() {
        let sc = match (&scale2, s.secondary) {
            (Some((s2, _)), true) => s2,
            _ => &scale,
        };
        let pts: Vec<(f64, f64)> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                (
                    frame.left + band * (i as f64 + 0.5),
                    frame.bottom - sc.frac(*v) * frame.h(),
                )
            })
            .collect();
        let col = color(s, si);
        svg.polyline(&pts, col, s.secondary);
        for (i, (x, y)) in pts.iter().enumerate() {
            svg.circle(*x, *y, 3.0, col);
            if let Some(l) = &s.labels {
                let dy = if s.secondary { VALUE + 4.0 } else { -6.0 };
                svg.text(*x, y + dy, VALUE - 1.0, "middle", col, &l[i]);
            }
        }
    }
    svg.line(
        frame.left,
        frame.bottom,
        frame.right,
        frame.bottom,
        "#666666",
    );
    height
}

/// Legend, value axes with grid lines and category labels for charts whose categories run
/// along the bottom. Returns the plot frame.
fn category_frame(
    svg: &mut Svg,
    spec: &ChartSpec,
    width: f64,
    height: f64,
    scale: &Scale,
    secondary: Option<(&Scale, &super::Axis)>,
) -> Frame {
    let legend_h = legend(svg, spec, 12.0, 8.0, width - 24.0);
    let suffix = spec.axis.suffix.as_deref();
    let left = 12.0 + ticks_width(scale, suffix) + 8.0;
    let right = match secondary {
        Some((s2, a)) => width - 12.0 - ticks_width(s2, a.suffix.as_deref()) - 8.0,
        None => width - 16.0,
    };
    let has_axis_label =
        spec.axis.label.is_some() || secondary.is_some_and(|(_, a)| a.label.is_some());
    let top = 8.0 + legend_h + if has_axis_label { 26.0 } else { 12.0 };
    let band = (right - left) / spec.categories.len() as f64;
    let lines: Vec<Vec<String>> = spec
        .categories
        .iter()
        .map(|c| wrap(c, LABEL, band - 1.0, 3))
        .collect();
    let max_lines = lines.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let bottom = height - 12.0 - max_lines * (LABEL + 3.0);
    let frame = Frame {
        left,
        top,
        right,
        bottom,
    };
    y_ticks(svg, &frame, scale, suffix, false);
    if let Some(label) = &spec.axis.label {
        svg.text(12.0, top - 12.0, LABEL, "start", INK, label);
    }
    if let Some((s2, a)) = secondary {
        y_ticks(svg, &frame, s2, a.suffix.as_deref(), true);
        if let Some(label) = &a.label {
            svg.text(width - 12.0, top - 12.0, LABEL, "end", INK, label);
        }
    }
    for (i, ls) in lines.iter().enumerate() {
        let x = frame.left + band * (i as f64 + 0.5);
        for (j, l) in ls.iter().enumerate() {
            let y = frame.bottom + 3.0 + (LABEL + 3.0) * (j as f64 + 1.0);
            svg.text(x, y, LABEL, "middle", INK, l);
        }
    }
    frame
}

fn ticks_width(scale: &Scale, suffix: Option<&str>) -> f64 {
    scale
        .ticks
        .iter()
        .map(|t| text_width(&scale.tick_label(*t, suffix), LABEL))
        .fold(0.0, f64::max)
}

/// Tick labels of a vertical value axis: on the left with grid lines, or on the right (the
/// secondary axis shares the primary's grid lines).
fn y_ticks(svg: &mut Svg, frame: &Frame, scale: &Scale, suffix: Option<&str>, right: bool) {
    for t in &scale.ticks {
        let y = frame.bottom - scale.frac(*t) * frame.h();
        let label = scale.tick_label(*t, suffix);
        if right {
            svg.text(
                frame.right + 6.0,
                y + LABEL * 0.35,
                LABEL,
                "start",
                INK,
                &label,
            );
        } else {
            svg.line(frame.left, y, frame.right, y, GRID);
            svg.text(
                frame.left - 6.0,
                y + LABEL * 0.35,
                LABEL,
                "end",
                INK,
                &label,
            );
        }
    }
}

/// Horizontal bars, categories down the left side (rankings).
fn draw_hbars(svg: &mut Svg, spec: &ChartSpec, width: f64, stacked: bool) -> f64 {
    let series = primary(spec);
    let scale = value_scale(&series, stacked, &spec.axis);
    let layout = HbarLayout::new(svg, spec, &series, width, stacked);
    let frame = layout.frame;
    let x_of = |v: f64| frame.left + scale.frac(v) * frame.w();
    for t in &scale.ticks {
        let x = x_of(*t);
        svg.line(x, frame.top, x, frame.bottom, GRID);
        let label = scale.tick_label(*t, spec.axis.suffix.as_deref());
        svg.text(x, frame.bottom + 6.0 + LABEL, LABEL, "middle", INK, &label);
    }
    if let Some(label) = &spec.axis.label {
        svg.text(frame.right, layout.height - 10.0, LABEL, "end", INK, label);
    }
    let band = frame.h() / spec.categories.len() as f64;
    let bar = band * 0.7 / layout.slots;
    for (ci, cat) in spec.categories.iter().enumerate() {
        let y0 = frame.top + band * ci as f64 + band * 0.15;
        let name = wrap(cat, LABEL, layout.max_label, 1).remove(0);
        let y_mid = frame.top + band * (ci as f64 + 0.5) + LABEL * 0.35;
        svg.text(frame.left - 8.0, y_mid, LABEL, "end", INK, &name);
        let mut base = 0.0;
        for (si, s) in series.iter().enumerate() {
            let v = s.values[ci];
            let (from, to) = if stacked { (base, base + v) } else { (0.0, v) };
            base += v;
            let y = if stacked { y0 } else { y0 + bar * si as f64 };
            let (xa, xb) = (x_of(from), x_of(to));
            svg.rect(xa.min(xb), y, (xb - xa).abs(), bar, color(s, si));
            let Some(label) = s.labels.as_ref().map(|l| l[ci].as_str()) else {
                continue;
            };
            let y_text = y + bar / 2.0 + VALUE * 0.35;
            if !stacked {
                svg.text(xb.max(xa) + 4.0, y_text, VALUE, "start", INK, label);
            } else if text_width(label, VALUE) <= (xb - xa).abs() - 4.0 && bar >= VALUE {
                svg.text((xa + xb) / 2.0, y_text, VALUE, "middle", "#ffffff", label);
            }
        }
    }
    let zero = x_of(0f64.max(scale.lo));
    svg.line(zero, frame.top, zero, frame.bottom, "#666666");
    layout.height
}

/// Geometry of a horizontal bar chart: rows of fixed height, so the drawing grows with the
/// number of categories; category names on the left (at most 40 % of the width), value
/// labels to the right of the bars.
struct HbarLayout {
    frame: Frame,
    height: f64,
    slots: f64,
    max_label: f64,
}

impl HbarLayout {
    fn new(svg: &mut Svg, spec: &ChartSpec, series: &[&Series], width: f64, stacked: bool) -> Self {
        let legend_h = legend(svg, spec, 12.0, 8.0, width - 24.0);
        let max_label = width * 0.4;
        let names = spec.categories.iter().map(|c| text_width(c, LABEL));
        let cat_w = names.fold(0.0, f64::max).min(max_label);
        let value_w = series
            .iter()
            .flat_map(|s| s.labels.iter().flatten())
            .map(|l| text_width(l, VALUE))
            .fold(0.0, f64::max);
        let slots = if stacked { 1.0 } else { series.len() as f64 };
        let band = (14.0 * slots + 12.0).max(28.0);
        let top = 8.0 + legend_h + 8.0;
        let axis_label_h = if spec.axis.label.is_some() {
            LABEL + 8.0
        } else {
            0.0
        };
        let rows = spec.categories.len() as f64;
        let natural = top + rows * band + 26.0 + axis_label_h + 8.0;
        let height = f64::from(spec.height.unwrap_or(0)).max(natural);
        let frame = Frame {
            left: 12.0 + cat_w + 8.0,
            top,
            right: width - 16.0 - if stacked { 0.0 } else { value_w + 6.0 },
            bottom: height - 26.0 - axis_label_h - 8.0,
        };
        Self {
            frame,
            height,
            slots,
            max_label,
        }
    }
}

/// Draws the legend from `(x, y)` within `width`, wrapping items; returns its height (0 for a
/// single unnamed series).
fn legend(svg: &mut Svg, spec: &ChartSpec, x: f64, y: f64, width: f64) -> f64 {
    if spec.series.len() == 1 && spec.series[0].name.is_empty() {
        return 0.0;
    }
    let right_axis = spec.secondary_axis.is_some();
    let mut cx = x;
    let mut cy = y;
    for (i, s) in spec.series.iter().enumerate() {
        let name = if right_axis && s.secondary {
            format!("{}(右轴)", s.name)
        } else {
            s.name.clone()
        };
        let w = 14.0 + 5.0 + text_width(&name, LABEL) + 18.0;
        if cx + w > x + width && cx > x {
            cx = x;
            cy += LABEL + 8.0;
        }
        if spec.kind == ChartKind::Line {
            svg.polyline(
                &[(cx, cy + 7.0), (cx + 14.0, cy + 7.0)],
                color(s, i),
                s.secondary,
            );
            svg.circle(cx + 7.0, cy + 7.0, 3.0, color(s, i));
        } else {
            svg.rect(cx, cy + 1.0, 12.0, 12.0, color(s, i));
        }
        svg.text(
            cx + 19.0,
            cy + 7.0 + LABEL * 0.35,
            LABEL,
            "start",
            INK,
            &name,
        );
        cx += w;
    }
    cy - y + LABEL + 4.0
}

/// Accumulates SVG elements; coordinates rounded to 0.1 px to keep files small.
#[derive(Default)]
struct Svg {
    body: String,
}

impl Svg {
    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str) {
        if w > 0.0 && h > 0.0 {
            let _ = write!(
                self.body,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}"/>"#,
                x, y, w, h
            );
        }
    }

    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str) {
        let _ = write!(
            self.body,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{stroke}" stroke-width="1"/>"#
        );
    }

    fn polyline(&mut self, pts: &[(f64, f64)], stroke: &str, dashed: bool) {
        let points: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let dash = if dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = write!(
            self.body,
            r#"<polyline points="{}" fill="none" stroke="{stroke}" stroke-width="2"{dash}/>"#,
            points.join(" ")
        );
    }

    fn circle(&mut self, x: f64, y: f64, r: f64, fill: &str) {
        let _ = write!(
            self.body,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r}" fill="{fill}"/>"#
        );
    }

    fn text(&mut self, x: f64, y: f64, size: f64, anchor: &str, fill: &str, text: &str) {
        let _ = write!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">{}</text>"#,
            esc(text)
        );
    }
}

/// Escapes text for SVG/XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Axis;

    fn months() -> Vec<String> {
        (1..=10).map(|m| format!("{m}月")).collect()
    }

    #[test]
    fn labels_and_names_are_escaped_text_not_markup() {
        let spec = ChartSpec::new(
            "A<B>",
            ChartKind::Bar {
                horizontal: false,
                stacked: false,
            },
            vec!["x&y".into()],
        )
        .series(Series::new("<script>", vec![1.0]));
        let svg = render_svg(&spec).unwrap();
        assert!(
            svg.contains("x&amp;y") && svg.contains("&lt;script&gt;") && !svg.contains("<script>")
        );
    }

    #[test]
    fn bar_heights_are_proportional_to_values() {
        let spec = ChartSpec::new(
            "t",
            ChartKind::Bar {
                horizontal: false,
                stacked: false,
            },
            vec!["甲".into(), "乙".into()],
        )
        .series(Series::new("", vec![100.0, 50.0]))
        .axis(Axis {
            max: Some(100.0),
            ..Axis::default()
        });
        let svg = render_svg(&spec).unwrap();
        let heights: Vec<f64> = svg
            .split("<rect ")
            .skip(2)
            .map(|r| {
                r.split("height=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap()
            })
            .collect();
        assert_eq!(heights.len(), 2);
        assert!((heights[0] / heights[1] - 2.0).abs() < 0.01, "{heights:?}");
    }

    #[test]
    fn secondary_series_is_dashed_and_marked_in_the_legend() {
        let spec = ChartSpec::new("趋势", ChartKind::Line, months())
            .series(Series::new(
                "评价数",
                (0..10).map(|i| 20000.0 + f64::from(i) * 300.0).collect(),
            ))
            .series(
                Series::new(
                    "差评数",
                    vec![0.0, 1.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 1.0, 0.0],
                )
                .on_secondary_axis(),
            )
            .axis(Axis::labelled("评价数(条)"))
            .secondary_axis(Axis::labelled("差评数(条)"));
        let svg = render_svg(&spec).unwrap();
        assert!(svg.contains("差评数(右轴)"));
        assert!(svg.contains("stroke-dasharray"));
        // the right axis has its own ticks: 2 is the top tick of 0..2
        assert!(svg.contains(">2</text>"));
    }

    #[test]
    fn secondary_series_without_secondary_axis_is_rejected() {
        let spec = ChartSpec::new("t", ChartKind::Line, months())
            .series(Series::new("a", vec![0.0; 10]).on_secondary_axis());
        assert!(render_svg(&spec).is_err());
    }

    #[test]
    fn horizontal_bars_grow_with_categories() {
        let cats: Vec<String> = (0..30).map(|i| format!("部门{i}")).collect();
        let spec = ChartSpec::new(
            "排名",
            ChartKind::Bar {
                horizontal: true,
                stacked: false,
            },
            cats,
        )
        .series(Series::new("", (0..30).map(f64::from).collect()));
        let svg = render_svg(&spec).unwrap();
        let h: f64 = svg
            .split("height=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(h >= 30.0 * 28.0, "{h}");
    }
}
