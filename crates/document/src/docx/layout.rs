//! GB/T 9704-2012 page geometry and type sizes, in Word's units.
//!
//! Word measures in twips (1/20 pt), font sizes in half-points and drawings in EMU; the
//! standard measures in millimetres and 号. Everything is derived here from the standard's
//! numbers so the XML values can be checked against them.

/// 1 inch = 25.4 mm = 1440 twips.
pub fn mm_to_twips(mm: f64) -> i32 {
    (mm * 1440.0 / 25.4).round() as i32
}

/// 1 mm = 36 000 EMU.
pub fn mm_to_emu(mm: f64) -> u32 {
    (mm * 36_000.0).round() as u32
}

/// Paper and 版心 (type area) of GB/T 9704-2012 §5.2: A4, 上白边 37 mm, 下白边 35 mm (the
/// standard gives the 版心 height 225 mm, which leaves 35 mm), 订口 28 mm, 切口 26 mm.
pub const PAGE_W_MM: f64 = 210.0;
pub const PAGE_H_MM: f64 = 297.0;
pub const MARGIN_TOP_MM: f64 = 37.0;
pub const MARGIN_BOTTOM_MM: f64 = 35.0;
pub const MARGIN_LEFT_MM: f64 = 28.0;
pub const MARGIN_RIGHT_MM: f64 = 26.0;

/// §5.2.2: 一般每面排 22 行,每行排 28 个字.
pub const LINES_PER_PAGE: i32 = 22;
pub const CHARS_PER_LINE: i32 = 28;

/// Type sizes (号) in half-points, Word's `w:sz` unit.
pub const SIZE_2HAO: usize = 44; // 22 pt: 标题
pub const SIZE_3HAO: usize = 32; // 16 pt: 正文
pub const SIZE_4HAO: usize = 28; // 14 pt: 页码, 表题/图题
pub const SIZE_XIAO4: usize = 24; // 12 pt: 表格内容
pub const SIZE_5HAO: usize = 21; // 10.5 pt: 宽表格内容

/// §7.5: 页码 is 4号; its 一字线 sits 7 mm below the 版心.
const PAGE_NUMBER_GAP_MM: f64 = 7.0;

/// Exact height of the page-number line in twips: 18 pt, a little more than the 14 pt type
/// so Word does not clip the glyphs' tops (it does at exactly the type size).
pub const PAGE_NUMBER_LINE: i32 = 360;

/// Page geometry in twips, as written into `w:pgSz`, `w:pgMar` and `w:docGrid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub width: u32,
    pub height: u32,
    pub top: i32,
    pub bottom: i32,
    pub left: i32,
    pub right: i32,
    pub footer: i32,
    /// `w:docGrid/@w:linePitch`: the 版心 height divided into 22 lines, rounded down so 22
    /// lines always fit.
    pub line_pitch: i32,
    /// Character spacing of body text in twips (`w:spacing` in the Normal style): how much
    /// narrower than 16 pt each character is set so that exactly 28 fill the 版心 width.
    /// Rounded down, so the 28th character always fits.
    ///
    /// Word templates get 28 characters from a `linesAndChars` grid with `w:charSpace`
    /// instead; LibreOffice gives every 16 pt character two cells of such a grid (15.79 pt
    /// wide), so lines held 14 characters there (measured). Condensed spacing with a
    /// `lines` grid gives 28 in Word, WPS and LibreOffice alike.
    pub condense: i32,
}

impl Page {
    pub fn gbt9704() -> Self {
        let (top, bottom) = (mm_to_twips(MARGIN_TOP_MM), mm_to_twips(MARGIN_BOTTOM_MM));
        let (left, right) = (mm_to_twips(MARGIN_LEFT_MM), mm_to_twips(MARGIN_RIGHT_MM));
        let width = mm_to_twips(PAGE_W_MM);
        let height = mm_to_twips(PAGE_H_MM);
        let text_h = height - top - bottom;
        let text_w = width - left - right;
        let pitch = f64::from(text_w) / f64::from(CHARS_PER_LINE);
        let body = (SIZE_3HAO * 10) as f64;
        // The footer distance is measured to the bottom of the page-number line, which is
        // PAGE_NUMBER_LINE below its top.
        let footer = bottom - mm_to_twips(PAGE_NUMBER_GAP_MM) - PAGE_NUMBER_LINE;
        Self {
            width: width as u32,
            height: height as u32,
            top,
            bottom,
            left,
            right,
            footer,
            line_pitch: text_h / LINES_PER_PAGE,
            condense: (pitch - body).floor() as i32,
        }
    }

    /// Width of the 版心 in twips.
    pub fn text_width(&self) -> i32 {
        self.width as i32 - self.left - self.right
    }

    pub fn text_width_mm(&self) -> f64 {
        f64::from(self.text_width()) * 25.4 / 1440.0
    }

    /// One character of body text (3号, condensed) in twips, used for 空二字 indents.
    pub fn body_char(&self) -> i32 {
        SIZE_3HAO as i32 * 10 + self.condense
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a4_and_the_standard_margins_in_twips() {
        let p = Page::gbt9704();
        assert_eq!((p.width, p.height), (11906, 16838));
        assert_eq!((p.top, p.bottom, p.left, p.right), (2098, 1984, 1587, 1474));
    }

    #[test]
    fn grid_gives_22_lines_of_28_characters() {
        let p = Page::gbt9704();
        let text_h = p.height as i32 - p.top - p.bottom;
        assert_eq!(text_h / p.line_pitch, 22);
        assert_eq!(p.text_width() / p.body_char(), 28);
        assert_eq!(p.line_pitch, 579, "the value common 公文 templates carry");
        assert_eq!(p.condense, -5);
    }
}
