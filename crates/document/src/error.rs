//! Errors, worded for the person running the command: what went wrong and what to do.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The document tree breaks a rule a renderer relies on (a bug on the caller's side, but
    /// worded so that whoever sees it can report it precisely).
    #[error("文档结构有误:{0}")]
    Invalid(String),

    #[error(transparent)]
    Font(#[from] FontError),

    #[error("图表“{chart}”无法绘制:{reason}")]
    Chart { chart: String, reason: String },

    #[error("无法生成二维码:{0}")]
    Qr(String),

    #[error("生成 DOCX 失败:{0}")]
    Docx(String),

    #[error("生成 XLSX 失败:{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),

    #[error(transparent)]
    Template(#[from] TemplateError),

    #[error("写入文件 {path} 失败:{source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// No usable Chinese font for drawing chart labels into PNG.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error(
        "未找到可显示中文的字体,图表中的中文无法绘制。请安装中文字体(Debian/Ubuntu:apt-get install fonts-noto-cjk),\
         或在配置中指定中文字体文件路径(例如 /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc)。已查找的目录:{searched}"
    )]
    NotFound { searched: String },

    #[error(
        "无法读取配置的字体文件 {path}:{reason}。请检查路径,或删除该配置项以自动查找系统中文字体(需安装 fonts-noto-cjk)"
    )]
    Unreadable { path: PathBuf, reason: String },

    #[error(
        "配置的字体文件 {path} 不含中文字形(缺少“{missing}”等字符)。请改用中文字体,例如 fonts-noto-cjk 提供的 NotoSansCJK-Regular.ttc"
    )]
    NoChinese { path: PathBuf, missing: String },

    #[error(
        "字体 {family}({path})缺少以下字符的字形:{missing}。请改用覆盖更全的中文字体(如 Noto Sans CJK SC),或修改图表文字"
    )]
    MissingGlyphs {
        family: String,
        path: PathBuf,
        missing: String,
    },
}

/// A template that cannot be compiled or rendered, located by file and line.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.describe())]
pub struct TemplateError {
    /// The override file, or `None` for an embedded template.
    pub file: Option<PathBuf>,
    pub name: String,
    pub line: Option<usize>,
    pub message: String,
}

impl TemplateError {
    fn describe(&self) -> String {
        let place = match (&self.file, self.line) {
            (Some(f), Some(l)) => format!("模板文件 {} 第 {l} 行", f.display()),
            (Some(f), None) => format!("模板文件 {}", f.display()),
            (None, Some(l)) => format!("内置模板 {} 第 {l} 行", self.name),
            (None, None) => format!("内置模板 {}", self.name),
        };
        let advice = if self.file.is_some() {
            "请修正该文件,或将其删除以改用内置模板"
        } else {
            "这是程序内置模板的问题,请向开发方报告"
        };
        format!("{place}有误:{}。{advice}", self.message)
    }
}
