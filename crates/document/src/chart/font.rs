//! Finding a font that can draw Chinese chart labels into PNG.
//!
//! resvg draws only with fonts it is given. A font without CJK glyphs would leave labels
//! blank (or draw .notdef boxes), so a font is accepted only after its character map is seen
//! to cover common report characters, and rendering refuses text it cannot cover.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use skrifa::raw::FileRef;
use skrifa::{FontRef, MetadataProvider, string::StringId};

use crate::error::FontError;

/// Characters every report label font must have.
const PROBE: &str = "政务服务满意率评价数量整改月";

/// File-name fragments of common CJK fonts, best first: sans faces read better at chart
/// sizes; serif and bitmap-era faces are fallbacks.
const KNOWN: &[&str] = &[
    "notosanscjksc-regular",
    "notosanscjk-regular",
    "sourcehansanssc-regular",
    "sourcehansans-regular",
    "notosanscjk",
    "sourcehansans",
    "wqy-microhei",
    "wqy-zenhei",
    "notoserifcjk-regular",
    "notoserifcjk",
    "sourcehanserif",
    "droidsansfallback",
    "msyh",
    "simhei",
    "simsun",
    "pingfang",
    "hiragino sans gb",
    "stheiti",
    "uming",
    "ukai",
];

/// Unknown font files opened (character map only) when no known CJK font is present.
const MAX_UNKNOWN_PROBES: usize = 400;

/// Where to look for a CJK font.
#[derive(Debug, Clone)]
pub struct FontSearch {
    /// A font file configured by the user; when set, it is used or an error is returned —
    /// never silently replaced by another font.
    pub path: Option<PathBuf>,
    /// Directories searched recursively when `path` is not set.
    pub dirs: Vec<PathBuf>,
}

impl Default for FontSearch {
    fn default() -> Self {
        Self::system()
    }
}

impl FontSearch {
    /// The usual font directories of Linux (fontconfig defaults), macOS and Windows.
    pub fn system() -> Self {
        let mut dirs: Vec<PathBuf> = [
            "/usr/share/fonts",
            "/usr/local/share/fonts",
            "/System/Library/Fonts",
            "/Library/Fonts",
            "C:\\Windows\\Fonts",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
            dirs.push(home.join(".local/share/fonts"));
            dirs.push(home.join(".fonts"));
            dirs.push(home.join("Library/Fonts"));
        }
        if let Some(xdg) = std::env::var_os("XDG_DATA_DIRS") {
            dirs.extend(std::env::split_paths(&xdg).map(|d| d.join("fonts")));
        }
        Self { path: None, dirs }
    }

    /// A configured font file (the system directories are not searched).
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self {
            path: Some(path.into()),
            dirs: Vec::new(),
        }
    }

    /// Finds the font: the configured file, else the best known CJK font in `dirs`, else any
    /// font file there whose character map covers Chinese.
    pub fn locate(&self) -> Result<CjkFont, FontError> {
        if let Some(path) = &self.path {
            return match CjkFont::open(path) {
                Ok(Some(font)) => Ok(font),
                Ok(None) => Err(FontError::NoChinese {
                    path: path.clone(),
                    missing: PROBE.chars().take(4).collect(),
                }),
                Err(reason) => Err(FontError::Unreadable {
                    path: path.clone(),
                    reason,
                }),
            };
        }
        let mut files = Vec::new();
        for dir in &self.dirs {
            collect_font_files(dir, 0, &mut files);
        }
        let rank = |p: &Path| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            KNOWN.iter().position(|k| name.contains(k))
        };
        let mut known: Vec<(usize, &PathBuf)> = files
            .iter()
            .filter_map(|p| rank(p).map(|r| (r, p)))
            .collect();
        known.sort();
        let unknown = files
            .iter()
            .filter(|p| rank(p).is_none())
            .take(MAX_UNKNOWN_PROBES);
        for path in known.into_iter().map(|(_, p)| p).chain(unknown) {
            if let Ok(Some(font)) = CjkFont::open(path) {
                return Ok(font);
            }
        }
        let searched = self
            .dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join("、");
        Err(FontError::NotFound { searched })
    }
}

fn collect_font_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    // Font trees are shallow; the bound also stops symlink loops.
    if depth > 8 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_font_files(&path, depth + 1, out);
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "ttf" | "otf" | "ttc" | "otc"
            )
        }) {
            out.push(path);
        }
    }
}

/// A font file with a face that covers Chinese.
#[derive(Clone)]
pub struct CjkFont {
    pub path: PathBuf,
    /// Family name of the chosen face (a Simplified Chinese face of a collection if present).
    pub family: String,
    pub(crate) index: u32,
    pub(crate) data: Arc<Vec<u8>>,
}

impl std::fmt::Debug for CjkFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CjkFont")
            .field("path", &self.path)
            .field("family", &self.family)
            .finish()
    }
}

impl CjkFont {
    /// Opens `path`; `Ok(None)` when it is a font without Chinese glyphs.
    pub fn open(path: &Path) -> Result<Option<Self>, String> {
        let data = std::fs::read(path).map_err(|e| e.to_string())?;
        let count = match FileRef::new(&data).map_err(|e| format!("不是可识别的字体文件({e})"))?
        {
            FileRef::Font(_) => 1,
            FileRef::Collection(c) => c.len(),
        };
        let mut chosen: Option<(u32, String)> = None;
        for index in 0..count {
            let Ok(face) = FontRef::from_index(&data, index) else {
                continue;
            };
            if !covers(&face, PROBE) {
                continue;
            }
            let family = face
                .localized_strings(StringId::FAMILY_NAME)
                .english_or_first()
                .map(|s| s.to_string())
                .unwrap_or_default();
            let simplified =
                family.ends_with(" SC") || family.contains("GB") || family.contains("SC ");
            if chosen.is_none() || simplified {
                chosen = Some((index, family));
            }
            if simplified {
                break;
            }
        }
        Ok(chosen.map(|(index, family)| Self {
            path: path.to_path_buf(),
            family,
            index,
            data: Arc::new(data),
        }))
    }

    /// Characters of `text` (deduplicated, in order) the chosen face cannot draw.
    pub fn missing_chars(&self, text: &str) -> String {
        let Ok(face) = FontRef::from_index(&self.data, self.index) else {
            return text.to_string();
        };
        let charmap = face.charmap();
        let mut missing = String::new();
        for c in text.chars() {
            if !c.is_whitespace()
                && !c.is_control()
                && charmap.map(c).is_none()
                && !missing.contains(c)
            {
                missing.push(c);
            }
        }
        missing
    }
}

fn covers(face: &FontRef<'_>, text: &str) -> bool {
    let charmap = face.charmap();
    text.chars().all(|c| charmap.map(c).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_search_path_gives_the_install_advice() {
        let dir = tempfile::tempdir().unwrap();
        let search = FontSearch {
            path: None,
            dirs: vec![dir.path().to_path_buf()],
        };
        let msg = search.locate().unwrap_err().to_string();
        assert!(msg.contains("apt-get install fonts-noto-cjk"), "{msg}");
        assert!(msg.contains("未找到可显示中文的字体"), "{msg}");
    }

    #[test]
    fn configured_file_that_is_not_a_font_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fake.ttf");
        std::fs::write(&path, b"not a font").unwrap();
        let msg = FontSearch::file(&path).locate().unwrap_err().to_string();
        assert!(
            msg.contains("fake.ttf") && msg.contains("无法读取"),
            "{msg}"
        );
    }

    #[test]
    fn a_font_without_chinese_is_refused_when_configured() {
        // DejaVu ships with Debian's fontconfig; skip where it is absent.
        let path = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
        if !path.exists() {
            eprintln!("SKIPPED: {} not present", path.display());
            return;
        }
        let msg = FontSearch::file(path).locate().unwrap_err().to_string();
        assert!(msg.contains("不含中文字形"), "{msg}");
    }
}
