//! The bureau's configuration file (`jianping.toml`): settings that belong to the bureau
//! rather than to one command. Precedence: built-in defaults < this file < `JIANPING_*`
//! variables < command-line flags (clap reads the variables together with the flags).

use anyhow::Context;
use jianping_core::indicators::IndicatorConfig;
use jianping_core::{Grade, GradeSets, Rounding};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Used when `--config` is not given and the file exists in the working directory.
pub const DEFAULT_FILE: &str = "jianping.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub report: ReportConfig,
    #[serde(default)]
    pub bulletin: BulletinConfig,
    #[serde(default)]
    pub indicators: IndicatorsConfig,
    /// DOCX/HTML/XLSX: the 发文 cover, fonts.
    #[serde(default)]
    pub document: DocumentConfig,
    /// `jianping serve`: where it listens and the address citizens' QR codes point to.
    #[serde(default)]
    pub server: ServerConfig,
    /// The suspicious-rating audit's thresholds (`audit ratings`, the reports' 数据可信度).
    #[serde(default)]
    pub audit: AuditConfig,
    /// How long the platform's audit log (logins, writes) is kept.
    #[serde(default)]
    pub audit_log: AuditLogConfig,
    /// Rate limits of the citizen pages and the device/intake API (docs/reliability.md).
    #[serde(default)]
    pub limits: LimitsConfig,
    /// Where the file was read from; relative paths in it are relative to its folder.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    /// Decimals of percentages (default 2).
    pub precision: Option<u8>,
    /// `half-up` (default) or `truncate`.
    pub rounding: Option<String>,
    /// The city's region code, when the store holds more than one city.
    pub city: Option<String>,
    /// The name of the city's service centre.
    pub center_hall: Option<String>,
    /// Which grades count as satisfied / good / bad, and the points per grade.
    pub grades: Option<GradeConfig>,
    /// Folder of narrative templates overriding the embedded ones by file name
    /// (relative to this file).
    pub templates: Option<PathBuf>,
}

/// `[document]`: what the document formats add around the report.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentConfig {
    /// Print the 发文 cover; by default when `issuer` is set.
    pub cover: Option<bool>,
    /// 发文机关 in full.
    pub issuer: Option<String>,
    /// Red 发文机关标志 (版头); none when absent.
    pub issuer_mark: Option<String>,
    /// 发文字号.
    pub doc_number: Option<String>,
    /// 主送机关.
    pub addressee: Option<String>,
    /// Template of the notice's title.
    pub cover_title: Option<String>,
    /// Template of the notice's text, one paragraph per line.
    pub cover_text: Option<String>,
    /// 署名, one entry per line.
    pub signature: Option<Vec<String>>,
    /// 成文日期 (YYYY-MM-DD); the period's last day when absent.
    pub date: Option<String>,
    /// A CJK font file for chart labels (relative to this file); searched for when absent.
    pub chart_font: Option<PathBuf>,
    /// Font names written into the DOCX.
    pub fonts: Option<FontsConfig>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontsConfig {
    pub title: Option<String>,
    pub body: Option<String>,
    pub heading1: Option<String>,
    pub heading2: Option<String>,
    pub page_number: Option<String>,
}

/// `[server]`: the web platform.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Address and port, e.g. `127.0.0.1:8080`.
    pub listen: Option<String>,
    /// The address citizens reach the server at (printed in QR codes), e.g.
    /// `https://pj.example.gov.cn`.
    pub public_url: Option<String>,
}

/// `[limits]`: rate limits (token buckets: `*_burst` requests at once, then `*_per_sec`
/// per second). Absent values take the defaults in `jianping_web::limits`; a burst of 0
/// turns that limit off.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    /// Citizen page views per client address.
    pub page_burst: Option<u32>,
    pub page_per_sec: Option<f64>,
    /// Citizen submissions (ratings, complaints, additions) per client address.
    pub write_burst: Option<u32>,
    pub write_per_sec: Option<f64>,
    /// Citizen submissions per window token.
    pub window_burst: Option<u32>,
    pub window_per_sec: Option<f64>,
    /// Intake API writes (ratings, batches, pads, complaints, Open311) per device key.
    pub api_key_burst: Option<u32>,
    pub api_key_per_sec: Option<f64>,
    /// Intake API writes per client address (all keys behind one address together).
    pub api_address_burst: Option<u32>,
    pub api_address_per_sec: Option<f64>,
}

/// `[audit]`: thresholds of the suspicious-rating audit (docs/reliability.md); command-line
/// flags win over these.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// Level of the adjusted p-values (default 0.05).
    pub alpha: Option<f64>,
    /// `bh` (Benjamini–Hochberg, default) or `holm`.
    pub correction: Option<String>,
    /// Windows with fewer ratings are not tested (default 30).
    pub min_ratings: Option<u64>,
    /// Least difference of shares, in percentage points (default 5).
    pub min_effect: Option<f64>,
}

/// `[audit_log]`: retention of the audit log (等保 2.0 asks for at least six months).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditLogConfig {
    /// Days a row is kept before `jianping audit prune-log` archives and removes it
    /// (default and minimum 183).
    pub retention_days: Option<u32>,
}

/// `[bulletin]`: the monthly bulletin (月度通报).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulletinConfig {
    /// Departments with fewer ratings in the period are marked 数据不足 (default 30).
    pub min_ratings: Option<u64>,
    /// What ranks departments: `indicators` (the indicator system's total, default) or
    /// `satisfaction` (满意率, then 差评整改率, then rating count).
    pub ranking: Option<crate::bulletin::BulletinRanking>,
}

/// `[indicators]`: the bureau's indicator system (docs/indicators.md).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorsConfig {
    /// The bureau's indicator file, relative to this file's folder; the built-in default
    /// when absent.
    pub file: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeConfig {
    pub satisfied: Vec<String>,
    pub good: Vec<String>,
    pub bad: Vec<String>,
    /// Points of 非常满意, 满意, 基本满意, 不满意, 非常不满意.
    pub points: [u32; 5],
}

impl Config {
    /// Reads `path`, or `jianping.toml` in the working directory if it exists, or nothing.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None if Path::new(DEFAULT_FILE).exists() => PathBuf::from(DEFAULT_FILE),
            None => return Ok(Config::default()),
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("无法读取配置文件 {}", path.display()))?;
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "配置文件 {} 有误：{}",
                path.display(),
                e.to_string().trim_end()
            )
        })?;
        config.source = Some(path);
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> anyhow::Result<()> {
        if let Some(r) = &self.report.rounding {
            r.parse::<Rounding>().map_err(anyhow::Error::msg)?;
        }
        self.grade_sets()?;
        self.document_date()?;
        crate::audit_log::retention_days(self)?;
        let d = &self.document;
        if d.cover == Some(true) && d.issuer.as_deref().is_none_or(|i| i.trim().is_empty()) {
            anyhow::bail!(
                "配置 [document] cover = true 需要同时给出 issuer（发文机关全称），例如 issuer = \"某市推进政府职能转变和“放管服”改革协调小组办公室\""
            );
        }
        Ok(())
    }

    /// A path written in this file, relative to the file's folder.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        match self.source.as_deref().and_then(Path::parent) {
            Some(dir) if path.is_relative() => dir.join(path),
            _ => path.to_path_buf(),
        }
    }

    /// `[document] date`, parsed.
    pub fn document_date(&self) -> anyhow::Result<Option<chrono::NaiveDate>> {
        self.document
            .date
            .as_deref()
            .map(|d| {
                jianping_core::time::parse_date(d).map_err(|e| {
                    anyhow::anyhow!("配置 [document] date（成文日期）有误：{e}；请写成 2023-10-31")
                })
            })
            .transpose()
    }

    pub fn rounding(&self) -> anyhow::Result<Option<Rounding>> {
        self.report
            .rounding
            .as_deref()
            .map(|r| r.parse::<Rounding>().map_err(anyhow::Error::msg))
            .transpose()
    }

    /// The bureau's indicator file named by `[indicators] file`, if any, resolved against
    /// the folder of this configuration file.
    pub fn indicator_file(&self) -> Option<PathBuf> {
        let file = self.indicators.file.as_ref()?;
        let base = self
            .source
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(Path::new(""));
        Some(base.join(file))
    }

    /// The indicator configuration in effect: the bureau's file, else the built-in default.
    pub fn indicator_config(&self) -> anyhow::Result<IndicatorConfig> {
        match self.indicator_file() {
            Some(path) => IndicatorConfig::load(&path).map_err(anyhow::Error::new),
            None => Ok(IndicatorConfig::default()),
        }
    }

    pub fn grade_sets(&self) -> anyhow::Result<GradeSets> {
        let Some(g) = &self.report.grades else {
            return Ok(GradeSets::default());
        };
        let parse = |names: &[String], what: &str| -> anyhow::Result<Vec<Grade>> {
            names
                .iter()
                .map(|n| {
                    Grade::from_name(n.trim()).ok_or_else(|| {
                        anyhow::anyhow!(
                            "配置 [report.grades] {what} 中的「{n}」不是满意度等级（非常满意/满意/基本满意/不满意/非常不满意）"
                        )
                    })
                })
                .collect()
        };
        let sets = GradeSets {
            satisfied: parse(&g.satisfied, "satisfied")?,
            good: parse(&g.good, "good")?,
            bad: parse(&g.bad, "bad")?,
            points: g.points,
        };
        sets.validate()
            .map_err(|e| anyhow::anyhow!("配置 [report.grades] 有误：{e}"))?;
        Ok(sets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> anyhow::Result<Config> {
        let dir = tempfile::tempdir()?;
        let p = dir.path().join("j.toml");
        std::fs::write(&p, text)?;
        Config::load(Some(&p))
    }

    #[test]
    fn a_bureau_file_sets_report_defaults() {
        let c = parse(
            "[report]\nprecision = 1\nrounding = \"truncate\"\n[report.grades]\nsatisfied = [\"非常满意\", \"满意\"]\ngood = [\"非常满意\"]\nbad = [\"不满意\", \"非常不满意\"]\npoints = [100, 80, 60, 30, 0]\n",
        )
        .unwrap();
        assert_eq!(c.report.precision, Some(1));
        assert_eq!(c.rounding().unwrap(), Some(Rounding::Truncate));
        assert_eq!(c.grade_sets().unwrap().satisfied.len(), 2);
    }

    #[test]
    fn the_indicator_file_is_found_next_to_the_configuration() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.toml");
        std::fs::write(&p, "[indicators]\nfile = \"ind.toml\"\n").unwrap();
        let c = Config::load(Some(&p)).unwrap();
        assert_eq!(c.indicator_file(), Some(dir.path().join("ind.toml")));
        let e = c.indicator_config().unwrap_err().to_string();
        assert!(e.contains("ind.toml") && e.contains("无法读取"), "{e}");
        std::fs::write(
            dir.path().join("ind.toml"),
            jianping_core::indicators::DEFAULT_TOML.replace("jianping-2024.1", "乌海-2024"),
        )
        .unwrap();
        assert_eq!(c.indicator_config().unwrap().version, "乌海-2024");
        assert_eq!(
            Config::default().indicator_config().unwrap().version,
            "jianping-2024.1"
        );
        let e = parse("[indicators]\nfiles = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("files"), "{e}");
    }

    #[test]
    fn mistakes_name_the_file_and_what_is_wrong() {
        let e = parse("[report]\nprecison = 1\n").unwrap_err().to_string();
        assert!(e.contains("j.toml") && e.contains("precison"), "{e}");
        let e = parse("[report]\nrounding = \"up\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("half-up"), "{e}");
        let e = parse("[report.grades]\nsatisfied=[\"好\"]\ngood=[\"满意\"]\nbad=[\"不满意\"]\npoints=[1,2,3,4,5]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("「好」"), "{e}");
    }
}
