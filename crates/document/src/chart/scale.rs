//! Axis ticks and text measurement for chart layout.

/// Estimated advance width of `text` at `size` px. CJK ideographs and full-width punctuation
/// are one em; Latin letters and digits about 0.55 em in the sans fonts charts use. Layout
/// only needs to be right to a few pixels, and the same estimate serves SVG and PNG, so the
/// browser and resvg place labels identically.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if is_wide(c) { size } else { size * 0.56 })
        .sum()
}

fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
        || c == '—'
}

/// Splits `text` into at most `max_lines` lines no wider than `width`; the last line is cut
/// with "…" when the text does not fit.
pub fn wrap(text: &str, size: f64, width: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for c in text.chars() {
        let mut candidate = line.clone();
        candidate.push(c);
        if text_width(&candidate, size) > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line.push(c);
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        let last = lines.last_mut().expect("max_lines > 0");
        while !last.is_empty() && text_width(&format!("{last}…"), size) > width {
            last.pop();
        }
        last.push('…');
    }
    lines
}

/// A linear value scale with "nice" ticks.
#[derive(Debug, Clone)]
pub struct Scale {
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<f64>,
    decimals: usize,
}

impl Scale {
    /// Ticks covering `[lo, hi]` with about five steps of 1, 2, 2.5 or 5 × 10ⁿ. A fixed
    /// `min`/`max` (from the spec) is kept exactly. `whole` data (counts) never gets
    /// fractional ticks such as "0.5 件".
    pub fn new(
        data_lo: f64,
        data_hi: f64,
        min: Option<f64>,
        max: Option<f64>,
        whole: bool,
    ) -> Self {
        let lo0 = min.unwrap_or(data_lo.min(0.0));
        let mut hi0 = max.unwrap_or(data_hi);
        if hi0 <= lo0 {
            hi0 = lo0 + 1.0;
        }
        let mut step = nice_step((hi0 - lo0) / 5.0);
        if whole && step.fract() != 0.0 {
            // 0.5 → 1, 2.5 → 2: counts get whole ticks.
            step = step.floor().max(1.0);
        }
        let lo = min.unwrap_or((lo0 / step).floor() * step);
        let hi = max.unwrap_or((hi0 / step).ceil() * step);
        let mut ticks = Vec::new();
        let mut t = (lo / step).ceil() * step;
        while t <= hi + step * 1e-9 {
            ticks.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
            t += step;
        }
        let decimals = (-step.log10().floor()).clamp(0.0, 6.0) as usize;
        let decimals = if (step * 10f64.powi(decimals as i32)).fract().abs() > 1e-6 {
            decimals + 1
        } else {
            decimals
        };
        Self {
            lo,
            hi,
            ticks,
            decimals,
        }
    }

    /// Position of `v` between 0 (at `lo`) and 1 (at `hi`).
    pub fn frac(&self, v: f64) -> f64 {
        ((v - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0)
    }

    pub fn tick_label(&self, v: f64, suffix: Option<&str>) -> String {
        format!("{:.*}{}", self.decimals, v, suffix.unwrap_or(""))
    }
}

fn nice_step(raw: f64) -> f64 {
    let raw = if raw > 0.0 { raw } else { 1.0 };
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_data() {
        let s = Scale::new(0.0, 236_816.0, None, None, true);
        assert_eq!(s.ticks.first(), Some(&0.0));
        assert!(s.hi >= 236_816.0);
        assert_eq!(s.ticks[1], 50_000.0);
        assert_eq!(s.tick_label(50_000.0, None), "50000");
    }

    #[test]
    fn counts_never_get_fractional_ticks() {
        // 12 items: a nice step of 2.5 would print "2.5 项"
        let s = Scale::new(0.0, 12.0, None, None, true);
        assert!(s.ticks.iter().all(|t| t.fract() == 0.0), "{:?}", s.ticks);
        assert!(s.hi >= 12.0);
        let s = Scale::new(0.0, 12.0, None, None, false);
        assert!(s.ticks.contains(&2.5), "{:?}", s.ticks);
    }

    #[test]
    fn fixed_range_gets_decimal_ticks() {
        let s = Scale::new(98.7, 100.0, Some(98.0), Some(100.0), false);
        assert_eq!((s.lo, s.hi), (98.0, 100.0));
        assert_eq!(s.tick_label(s.ticks[1], Some("%")), "98.5%");
    }

    #[test]
    fn all_zero_data_still_has_an_axis() {
        let s = Scale::new(0.0, 0.0, None, None, true);
        assert!(s.hi > s.lo && s.ticks.len() >= 2);
        assert_eq!(s.tick_label(s.ticks[1], None), "1");
    }

    #[test]
    fn cjk_is_wider_than_digits_and_wraps() {
        assert!(text_width("满意", 10.0) > text_width("99", 10.0));
        let lines = wrap("镇(街道)和村(社区)级", 12.0, 60.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| text_width(l, 12.0) <= 60.0));
        assert!(lines[1].ends_with('…'));
    }
}
