//! Command-line arguments. Every setting can also come from a `JIANPING_*` variable.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "jianping",
    version,
    about = "监评：政务服务监督评价平台（好差评、12345、监督员、码上监督、第三方评估、整改台账、报告）",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct DbArgs {
    /// SQLite 数据库文件（不存在则创建）
    #[arg(
        long,
        global = true,
        env = "JIANPING_DB",
        default_value = "jianping.db"
    )]
    pub db: PathBuf,
    /// 数据库地址，如 postgres://user@host:5432/dbname；给出时优先于 --db
    #[arg(long, global = true, env = "JIANPING_DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct PeriodArgs {
    /// 起始日期（含），如 2023-01-01；默认当年1月1日
    #[arg(long, env = "JIANPING_FROM", value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// 截止日期（含），如 2023-10-31；默认今天
    #[arg(long, env = "JIANPING_TO", value_parser = parse_date)]
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Args, Clone)]
pub struct RateArgs {
    /// 百分比保留的小数位数
    #[arg(long, env = "JIANPING_PRECISION", default_value_t = 2)]
    pub precision: u8,
    /// 舍入方式：half-up（四舍五入）或 truncate（截断）
    #[arg(long, env = "JIANPING_ROUNDING", default_value = "half-up")]
    pub rounding: jianping_core::Rounding,
}

#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// 输出文件；省略时写到标准输出
    #[arg(long, short, env = "JIANPING_OUTPUT")]
    pub output: Option<PathBuf>,
}

pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    jianping_core::time::parse_date(s)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 生成示范城市（乌海市2023年）的原始数据
    Demo(DemoArgs),
    /// 导入数据文件（CSV 或 XLSX）
    Import(ImportArgs),
    /// 生成报告（年度报告、月度通报）
    Report(ReportArgs),
    /// 统计查询
    #[command(subcommand)]
    Stats(StatsCommand),
    /// 核对汇总表与明细数据是否一致
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// 若数据库已有数据，仍然写入（示范数据按编号幂等，重复执行不会重复写入）
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportKind {
    Ratings,
    Hotline,
    Cases,
    Matters,
    Supervisors,
    Feedback,
    QrReports,
    Assessments,
    Regions,
    Departments,
    Halls,
    Windows,
    Staff,
    ReportedStats,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// 数据种类
    pub kind: ImportKind,
    /// CSV（UTF-8 或 GBK/GB18030）或 XLSX 文件
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// 满意度数字编码的顺序：gbt39046（1=非常满意）或 interface（1=非常不满意）
    #[arg(long, env = "JIANPING_GRADE_CODES", default_value = "gbt39046")]
    pub grade_codes: jianping_core::GradeCodes,
    /// 跳过错误行，导入其余行，并把错误行写入拒收文件
    #[arg(long)]
    pub skip_bad: bool,
    /// 拒收文件路径（默认：原文件名加 .rejects.csv）
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// 事项目录的生效日期（仅 matters；文件中有“生效日期”列时以列为准）
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// XLSX 的工作表名（默认第一个）
    #[arg(long)]
    pub sheet: Option<String>,
    /// 不显示进度条
    #[arg(long, env = "JIANPING_QUIET")]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportKind {
    /// 年度政务服务监督评价报告
    Annual,
    /// 月度通报
    Monthly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    pub kind: ReportKind,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// 月度通报的月份，如 2023-10（给出时代替 --from/--to）
    #[arg(long)]
    pub month: Option<String>,
    #[arg(long, default_value = "md", env = "JIANPING_FORMAT")]
    pub format: ReportFormat,
    #[command(flatten)]
    pub rate: RateArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// 报告所针对的市级行政区划代码（如 150300）；默认取数据库中唯一的市级行政区划
    #[arg(long, env = "JIANPING_CITY")]
    pub city: Option<String>,
    /// 市政务服务中心的大厅名称；默认取市本级类型为“政务服务中心”的大厅
    #[arg(long, env = "JIANPING_CENTER_HALL")]
    pub center_hall: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum StatsCommand {
    /// 好差评统计
    Ratings(RatingStatsArgs),
    /// 12345 热线统计与考核指标
    Hotline(HotlineStatsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RatingBy {
    /// 按层级（市本级/区级/镇街村社区）
    Level,
    Channel,
    Department,
    Window,
    Month,
    Region,
}

#[derive(Debug, Args)]
pub struct RatingStatsArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    #[arg(long, default_value = "level")]
    pub by: RatingBy,
    #[arg(long, default_value = "table", env = "JIANPING_FORMAT")]
    pub format: TableFormat,
    #[command(flatten)]
    pub rate: RateArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HotlineBy {
    Kind,
    Source,
    Mode,
    Department,
}

#[derive(Debug, Args)]
pub struct HotlineStatsArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    #[arg(long, default_value = "kind")]
    pub by: HotlineBy,
    #[arg(long, default_value = "table", env = "JIANPING_FORMAT")]
    pub format: TableFormat,
    #[command(flatten)]
    pub rate: RateArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// 发现不一致时按明细重建汇总表
    #[arg(long)]
    pub repair: bool,
}
