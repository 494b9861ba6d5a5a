//! Window QR cards and the printable A4 sheet per hall, as the CLI (`jianping qr`) and the
//! back office both draw them: the store's codes plus the public base URL.

use crate::error::{AppError, Result};
use jianping_core::PublicUrl;
use jianping_document::{QrCard, QrOptions, QrSheet, render_qr_sheet_html};
use jianping_store::codes::{HallCodes, WindowCode};

/// What a sheet calls the windows that belong to no hall.
pub const NO_HALL: &str = "未归属大厅的窗口";

/// One window's card; the window must have a token.
pub fn card(code: &WindowCode, base: &PublicUrl) -> Result<QrCard> {
    let w = &code.window;
    Ok(QrCard {
        hall: w.hall_name.clone().unwrap_or_else(|| NO_HALL.into()),
        window: w.window_name.clone(),
        department: w.department_name.clone(),
        url: code.url(base).ok_or_else(|| {
            AppError::Conflict(format!("窗口「{}」还没有二维码令牌", w.window_name))
        })?,
    })
}

/// A hall's sheet: one card per window.
pub fn hall_sheet(h: &HallCodes, base: &PublicUrl) -> Result<QrSheet> {
    Ok(QrSheet {
        hall: h.hall_name.clone().unwrap_or_else(|| NO_HALL.into()),
        cards: h
            .windows
            .iter()
            .map(|c| card(c, base))
            .collect::<Result<_>>()?,
    })
}

/// The printable page of one hall (self-contained HTML, A4).
pub fn hall_sheet_html(h: &HallCodes, base: &PublicUrl, opts: &QrOptions) -> Result<String> {
    let sheet = hall_sheet(h, base)?;
    if sheet.cards.is_empty() {
        return Err(AppError::NotFound(format!(
            "大厅「{}」没有窗口，没有可打印的二维码",
            sheet.hall
        )));
    }
    render_qr_sheet_html(std::slice::from_ref(&sheet), opts).map_err(|e| AppError::Other(e.into()))
}
