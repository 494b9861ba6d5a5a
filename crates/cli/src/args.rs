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
    /// 配置文件（TOML）；默认读取当前目录下的 jianping.toml（如存在）
    #[arg(long, global = true, env = "JIANPING_CONFIG")]
    pub config: Option<PathBuf>,
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
    /// 百分比保留的小数位数（默认 2，或配置文件 [report] precision）
    #[arg(long, env = "JIANPING_PRECISION")]
    pub precision: Option<u8>,
    /// 舍入方式：half-up（四舍五入，默认）或 truncate（截断）
    #[arg(long, env = "JIANPING_ROUNDING")]
    pub rounding: Option<jianping_core::Rounding>,
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
    /// 备份数据库（服务运行中也可备份，得到一致的副本）
    Backup(BackupArgs),
    /// 从备份恢复数据库（须先停止服务）
    Restore(RestoreArgs),
    /// 升级数据库结构到本程序的版本（服务启动和其他命令也会自动升级）
    Migrate,
    /// 数据可信度筛查：异常评价（短时集中、工作人员自评、等级分布与默认评价占比异常）
    #[command(subcommand)]
    Audit(AuditCommand),
    /// 问题整改台账：认领、整改、核验销号、延期、申诉、回访、导出
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// 工作日历：法定节假日与调休上班日
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// 窗口二维码（扫码评价、码上监督）与评价器设备密钥
    #[command(subcommand)]
    Qr(QrCommand),
    /// 启动网络服务：市民扫码评价与反映问题、评价器、工作人员后台、接口
    Serve(ServeArgs),
    /// 工作人员账号：开设、列出、改密码、停用、解锁
    #[command(subcommand)]
    User(UserCommand),
    /// 核对报送表格的数字：分类之和、合计行、百分比与舍入规则、超过100%的比例
    #[command(subcommand)]
    Check(CheckCommand),
    /// 热点问题类别词典：查看、检查、保存到数据库
    #[command(subcommand)]
    Topics(TopicsCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// 监听地址和端口（默认 127.0.0.1:8080，或配置文件 [server] listen）
    #[arg(long, env = "JIANPING_LISTEN")]
    pub listen: Option<String>,
    /// 市民访问本服务的地址，印在二维码上，如 https://pj.example.gov.cn（默认 http://监听地址，或配置文件 [server] public_url）
    #[arg(long, env = "JIANPING_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// 数据库连接池大小（默认 8）
    #[arg(long, env = "JIANPING_POOL_SIZE", default_value_t = 8)]
    pub pool_size: u32,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// 开设账号；密码从标准输入读取（或环境变量 JIANPING_PASSWORD）
    Add(UserAddArgs),
    /// 列出账号
    List(UserListArgs),
    /// 重设密码（从标准输入或 JIANPING_PASSWORD 读取），并使该用户的所有登录失效
    Passwd(UserNameArgs),
    /// 停用账号（立即退出所有登录）
    Disable(UserNameArgs),
    /// 解除因密码错误造成的锁定
    Unlock(UserNameArgs),
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// 用户名（登录用，字母数字），如 zhangsan
    pub username: String,
    /// 姓名
    #[arg(long)]
    pub name: String,
    /// 角色：admin（局管理员）、clerk（部门经办人）、supervisor（监督员）、leader（领导）、auditor（审计员）
    #[arg(long)]
    pub role: String,
    /// 部门经办人所在部门的全称
    #[arg(long)]
    pub department: Option<String>,
    /// 监督员账号对应的监督员编号
    #[arg(long)]
    pub supervisor: Option<String>,
}

#[derive(Debug, Args)]
pub struct UserListArgs {
    #[arg(long, default_value = "table", env = "JIANPING_FORMAT")]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct UserNameArgs {
    pub username: String,
}

#[derive(Debug, Subcommand)]
pub enum CheckCommand {
    /// 核对一张表（XLSX 或 CSV）：每行各分类之和是否等于合计、合计行是否等于各行之和、印出的百分比是否由计数按舍入规则得出、比例是否超过100%
    Table(CheckTableArgs),
}

#[derive(Debug, Args)]
pub struct CheckTableArgs {
    /// 要核对的文件（.xlsx/.xls 或 .csv）
    pub file: PathBuf,
    /// 工作表名称（默认第一个）
    #[arg(long)]
    pub sheet: Option<String>,
    /// 合计列（列字母，如 B）；默认按表头识别（合计、总数、总计……）
    #[arg(long)]
    pub total: Option<String>,
    /// 分类列（列字母，逗号分隔，如 D,E,F,G,H）；默认为合计列以外的全部计数列
    #[arg(long, value_delimiter = ',')]
    pub parts: Vec<String>,
    #[arg(long, default_value = "table", env = "JIANPING_FORMAT")]
    pub format: TableFormat,
    #[command(flatten)]
    pub rate: RateArgs,
}

#[derive(Debug, Subcommand)]
pub enum TopicsCommand {
    /// 类别词典：--show 输出正在使用的词典（可另存后修改），--check 检查文件，--set 检查并保存到数据库
    Dictionary(TopicsDictionaryArgs),
}

#[derive(Debug, Args)]
pub struct TopicsDictionaryArgs {
    /// 检查词典文件并保存到数据库；此后的统计、报告和新登记事项的建议类别按此词典
    #[arg(long, conflicts_with_all = ["check", "reset"])]
    pub set: Option<PathBuf>,
    /// 只检查词典文件，不保存
    #[arg(long, conflicts_with = "reset")]
    pub check: Option<PathBuf>,
    /// 恢复内置词典
    #[arg(long)]
    pub reset: bool,
    /// 操作人姓名（保存词典时记录）
    #[arg(long, env = "JIANPING_ACTOR")]
    pub actor: Option<String>,
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
pub enum BulletinRanking {
    /// 评价指标体系综合得分
    Indicators,
    /// 满意率，其次差评整改率、评价数
    Satisfaction,
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
    /// Word 文档（GB/T 9704 公文格式），需 --output
    Docx,
    /// 单个 HTML 文件（含图表，可打印）
    Html,
    /// Excel 工作簿（每个表格一个工作表），需 --output
    Xlsx,
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
    /// 月度通报：整改台账情况（状态、逾期、预警）的判定日期；默认取统计截止日与今天中较早的一天
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// 月度通报：评价数少于此数的部门标注“数据不足”，不参与排名（默认 30，或配置文件 [bulletin] min_ratings）
    #[arg(long, env = "JIANPING_MIN_RATINGS")]
    pub min_ratings: Option<u64>,
    /// 月度通报的部门排名依据：indicators（评价指标体系综合得分，默认）或 satisfaction（满意率、差评整改率）
    #[arg(long, env = "JIANPING_BULLETIN_RANKING")]
    pub ranking: Option<BulletinRanking>,
    /// 报告文字模板文件夹，其中的同名文件替换内置模板（优先于配置 [report] templates）
    #[arg(long, env = "JIANPING_TEMPLATES")]
    pub templates: Option<PathBuf>,
    /// 不加发文通知（版头、主送机关、正文、署名），即使配置中启用了
    #[arg(long)]
    pub no_cover: bool,
    /// 把内置的报告文字模板写到该文件夹（已有的同名文件不覆盖），供修改后用 [report] templates 使用
    #[arg(long, value_name = "DIR")]
    pub write_templates: Option<PathBuf>,
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
    /// 指标体系得分与排名（部门或区域）
    Indicators(IndicatorStatsArgs),
    /// 政务服务基本情况分部门、分区域统计（办结率、全程网办、压缩率、免证办、延时服务等）
    Service(ServiceStatsArgs),
    /// 热点问题：评价留言、12345工单、码上监督、监督员意见按类别统计，附建议类别一致率与未覆盖新词
    Topics(TopicStatsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TopicsBy {
    Channel,
    Department,
    Month,
}

#[derive(Debug, Args)]
pub struct TopicStatsArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    #[arg(long, default_value = "channel")]
    pub by: TopicsBy,
    #[arg(long, default_value = "table", env = "JIANPING_FORMAT")]
    pub format: TableFormat,
    /// 使用该词典文件（默认数据库中保存的词典，未保存时为内置词典）
    #[arg(long)]
    pub dictionary: Option<PathBuf>,
    /// 读取所有等级评价的留言（默认只读差评留言）
    #[arg(long)]
    pub all_comments: bool,
    #[command(flatten)]
    pub rate: RateArgs,
    #[command(flatten)]
    pub output: OutputArgs,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnitBy {
    /// 按部门（市直部门、各区部门分别排名，见指标配置 [ranking]）
    Department,
    /// 按区域（市本级、各区）
    Region,
}

#[derive(Debug, Args)]
pub struct IndicatorStatsArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    #[arg(long, default_value = "department")]
    pub by: UnitBy,
    #[arg(long, default_value = "table", env = "JIANPING_FORMAT")]
    pub format: TableFormat,
    #[command(flatten)]
    pub output: OutputArgs,
    /// 市级行政区划代码（如 150300）；默认取数据库中唯一的市级行政区划
    #[arg(long, env = "JIANPING_CITY")]
    pub city: Option<String>,
    /// 输出正在使用的指标配置（TOML），可另存为局方配置文件后修改
    #[arg(long)]
    pub show_config: bool,
}

#[derive(Debug, Args)]
pub struct ServiceStatsArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    #[arg(long, default_value = "region")]
    pub by: UnitBy,
    #[arg(long, default_value = "table", env = "JIANPING_FORMAT")]
    pub format: TableFormat,
    #[command(flatten)]
    pub rate: RateArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// 市级行政区划代码（如 150300）；默认取数据库中唯一的市级行政区划
    #[arg(long, env = "JIANPING_CITY")]
    pub city: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// 列出异常评价线索及其证据（只读，不改变任何数据和统计）
    Ratings(AuditRatingsArgs),
    /// 清理超过保存期限（至少 183 天）的平台审计日志：先写入归档 CSV，再在同一事务中删除
    PruneLog(AuditPruneArgs),
}

#[derive(Debug, Args)]
pub struct AuditPruneArgs {
    /// 归档文件（须不存在，UTF-8 BOM 的 CSV，可用 Excel/WPS 打开），如 archive/audit-20261203.csv
    #[arg(long)]
    pub archive: std::path::PathBuf,
    /// 保存天数（不少于 183；默认取配置 [audit_log] retention_days，再默认 183）
    #[arg(long)]
    pub retention_days: Option<u32>,
}

#[derive(Debug, Args)]
pub struct AuditRatingsArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    #[arg(long, default_value = "table", env = "JIANPING_FORMAT")]
    pub format: TableFormat,
    /// 校正后 p 值的显著性水平（默认 0.05）
    #[arg(long)]
    pub alpha: Option<f64>,
    /// 多重检验校正：bh（Benjamini–Hochberg，默认）或 holm
    #[arg(long)]
    pub correction: Option<jianping_core::audit::Correction>,
    /// 窗口评价数少于此数不作占比检验（默认 30）
    #[arg(long)]
    pub min_ratings: Option<u64>,
    /// 占比至少相差多少个百分点才列为异常（默认 5）
    #[arg(long)]
    pub min_effect: Option<f64>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// 备份文件（须不存在），如 backup/city-20261203.db
    #[arg(long, short)]
    pub output: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// jianping backup 生成的备份文件
    pub backup: std::path::PathBuf,
    /// 数据库已存在时，确认用备份覆盖它
    #[arg(long)]
    pub replace: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// 发现不一致时按明细重建汇总表
    #[arg(long)]
    pub repair: bool,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// 列出整改事项（不加筛选时列出全部事项，按问题发生时间由新到旧）
    List(LedgerListArgs),
    /// 查看一个事项的来源、处理记录、回访、延期与申诉
    Show(LedgerShowArgs),
    /// 回访时查看问题反映人的姓名和电话（明文；须注明用途，每次查看都记入访问日志）
    Contact(LedgerContactArgs),
    /// 查看个人信息访问日志（谁在何时因何查看了哪些联系方式）
    AccessLog(LedgerAccessLogArgs),
    /// 从各渠道数据补登整改事项（导入数据时会自动执行）
    Sync(LedgerSyncArgs),
    /// 手工登记问题（局端）
    Add(LedgerAddArgs),
    /// 认领事项（责任部门）
    Claim(LedgerNoteArgs),
    /// 退回事项：不属于本部门职责（责任部门）
    #[command(name = "return")]
    Return(LedgerReasonArgs),
    /// 改派责任单位（局端）
    Reassign(LedgerReassignArgs),
    /// 提交整改措施（责任部门）
    Rectify(LedgerRectifyArgs),
    /// 核验通过并销号（局端）
    Close(LedgerNoteArgs),
    /// 重新打开已整改或已办结的事项（局端）
    Reopen(LedgerReasonArgs),
    /// 申请延期（部门，给出 --days 与 --reason），或审批延期（局端，--approve / --refuse）
    Extend(LedgerExtendArgs),
    /// 对差评提出申诉（部门，给出 --reason），或复核申诉（局端，--uphold / --reject）
    Appeal(LedgerAppealArgs),
    /// 记录回访结果：满意/基本满意/不满意/未联系上（不满意时事项重新打开）
    Callback(LedgerCallbackArgs),
    /// 导出整改台账（XLSX，各部门传阅的格式）
    Export(LedgerExportArgs),
    /// 查看或设置整改时限等台账配置
    Config(LedgerConfigArgs),
    /// 标注事项的问题类别（确认或更正系统建议的类别，记入一致率统计）
    Topic(LedgerTopicArgs),
}

#[derive(Debug, Args)]
pub struct LedgerTopicArgs {
    /// 事项编号
    pub item: String,
    /// 类别名称（类别词典中的类别或“其他”）
    pub topic: String,
    #[command(flatten)]
    pub actor: ActorArgs,
}

/// Who acts and when; every step is recorded with these.
#[derive(Debug, Args, Clone)]
pub struct ActorArgs {
    /// 操作人姓名（记入处理记录）
    #[arg(long, env = "JIANPING_ACTOR")]
    pub actor: Option<String>,
    /// 操作人角色：bureau（政务服务局）或 department（部门经办人）
    #[arg(long, env = "JIANPING_ROLE", default_value = "bureau")]
    pub role: String,
    /// 部门经办人所在部门（部门经办人只能办理本部门事项）
    #[arg(long, env = "JIANPING_ACTOR_DEPARTMENT")]
    pub actor_department: Option<String>,
    /// 操作发生时间（默认现在；补录历史时使用），如 2023-10-09 09:30
    #[arg(long)]
    pub at: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct LedgerFilterArgs {
    /// 责任单位（全称）
    #[arg(long)]
    pub department: Option<String>,
    /// 问题来源：rating/ticket/feedback/qr_report/assessment/manual（或中文名）
    #[arg(long)]
    pub source: Option<String>,
    /// 状态：unclaimed/claimed/rectified/closed/returned（或中文名，如 待认领）
    #[arg(long)]
    pub state: Option<String>,
    /// 只列逾期未整改的事项
    #[arg(long)]
    pub overdue: bool,
    /// 只列某位监督员（编号或姓名）提出的意见
    #[arg(long)]
    pub supervisor: Option<String>,
    /// 只列该问题类别的事项（经办人标注的类别，未标注时为系统建议的类别）
    #[arg(long)]
    pub topic: Option<String>,
    /// 问题发生日期起（含）
    #[arg(long, value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// 问题发生日期止（含）
    #[arg(long, value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    /// 按哪一天计算预警/逾期（默认今天）
    #[arg(long, value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct LedgerListArgs {
    #[command(flatten)]
    pub filter: LedgerFilterArgs,
    #[arg(long, default_value = "table", env = "JIANPING_FORMAT")]
    pub format: TableFormat,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct LedgerShowArgs {
    /// 事项编号，如 ZG2023-00001
    pub item: String,
    /// 以 JSON 输出
    #[arg(long)]
    pub json: bool,
    /// 按哪一天计算预警/逾期（默认今天）
    #[arg(long, value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct LedgerContactArgs {
    /// 事项编号，如 ZG2023-00001
    pub item: String,
    /// 操作人姓名（记入访问日志）
    #[arg(long, env = "JIANPING_ACTOR")]
    pub actor: Option<String>,
    /// 查看用途，如“差评回访”（记入访问日志）
    #[arg(long)]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct LedgerAccessLogArgs {
    /// 查看日志的审计员姓名（命令行按审计员身份读取）
    #[arg(long, env = "JIANPING_ACTOR")]
    pub actor: Option<String>,
    /// 最多列出多少条（最新的在前）
    #[arg(long, default_value_t = 50)]
    pub limit: u64,
}

#[derive(Debug, Args)]
pub struct LedgerSyncArgs {
    /// 登记时间（默认现在）
    #[arg(long)]
    pub at: Option<String>,
}

#[derive(Debug, Args)]
pub struct LedgerAddArgs {
    /// 问题概要
    #[arg(long)]
    pub title: String,
    /// 问题描述
    #[arg(long)]
    pub description: Option<String>,
    /// 责任单位（全称；可稍后改派）
    #[arg(long)]
    pub department: Option<String>,
    /// 问题发生时间（默认与 --at 相同）
    #[arg(long)]
    pub raised_at: Option<String>,
    /// 整改时限（工作日；默认按配置 manual_days）
    #[arg(long)]
    pub days: Option<u32>,
    #[command(flatten)]
    pub actor: ActorArgs,
}

#[derive(Debug, Args)]
pub struct LedgerNoteArgs {
    /// 事项编号
    pub item: String,
    /// 备注
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub actor: ActorArgs,
}

#[derive(Debug, Args)]
pub struct LedgerReasonArgs {
    /// 事项编号
    pub item: String,
    /// 原因
    #[arg(long)]
    pub reason: String,
    #[command(flatten)]
    pub actor: ActorArgs,
}

#[derive(Debug, Args)]
pub struct LedgerReassignArgs {
    /// 事项编号
    pub item: String,
    /// 新的责任单位（全称）
    #[arg(long)]
    pub department: String,
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub actor: ActorArgs,
}

#[derive(Debug, Args)]
pub struct LedgerRectifyArgs {
    /// 事项编号
    pub item: String,
    /// 整改措施
    #[arg(long)]
    pub measures: String,
    #[command(flatten)]
    pub actor: ActorArgs,
}

#[derive(Debug, Args)]
pub struct LedgerExtendArgs {
    /// 事项编号
    pub item: String,
    /// 申请延期的工作日数
    #[arg(long, conflicts_with_all = ["approve", "refuse"], requires = "reason")]
    pub days: Option<u32>,
    /// 延期理由
    #[arg(long)]
    pub reason: Option<String>,
    /// 批准待审批的延期申请（局端）
    #[arg(long, conflicts_with = "refuse")]
    pub approve: bool,
    /// 驳回待审批的延期申请（局端）
    #[arg(long)]
    pub refuse: bool,
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub actor: ActorArgs,
}

#[derive(Debug, Args)]
pub struct LedgerAppealArgs {
    /// 事项编号（差评事项）
    pub item: String,
    /// 申诉理由（提出申诉时）
    #[arg(long, conflicts_with_all = ["uphold", "reject"])]
    pub reason: Option<String>,
    /// 证据（文件名、说明）
    #[arg(long)]
    pub evidence: Option<String>,
    /// 申诉成立：该评价不再计入统计（局端）
    #[arg(long, conflicts_with = "reject")]
    pub uphold: bool,
    /// 申诉不成立（局端）
    #[arg(long)]
    pub reject: bool,
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub actor: ActorArgs,
}

#[derive(Debug, Args)]
pub struct LedgerCallbackArgs {
    /// 事项编号
    pub item: String,
    /// 回访结果：满意/基本满意/不满意/未联系上
    #[arg(long)]
    pub response: String,
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub actor: ActorArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LedgerExportFormat {
    Xlsx,
    Csv,
}

#[derive(Debug, Args)]
pub struct LedgerExportArgs {
    #[command(flatten)]
    pub filter: LedgerFilterArgs,
    #[arg(long, default_value = "xlsx")]
    pub format: LedgerExportFormat,
    /// 输出文件（XLSX 必须给出）
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LedgerConfigArgs {
    /// 用该 TOML 文件设置台账配置（未写的项保持默认值）；省略时显示当前配置
    #[arg(long)]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// 从某日起加 N 个工作日，如 add-workdays 2023-09-28 1 → 2023-10-07
    AddWorkdays(CalendarAddArgs),
    /// 列出某年的法定节假日与调休上班日
    Show(CalendarShowArgs),
    /// 导入节假日文件（日期,休或班,节日名称），覆盖内置数据中的同一天
    Import(CalendarImportArgs),
}

#[derive(Debug, Args)]
pub struct CalendarAddArgs {
    #[arg(value_parser = parse_date)]
    pub date: NaiveDate,
    pub days: u32,
}

#[derive(Debug, Args)]
pub struct CalendarShowArgs {
    pub year: i32,
    /// 以 JSON 输出
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CalendarImportArgs {
    pub file: PathBuf,
}

#[derive(Debug, Args, Clone)]
pub struct PublicUrlArgs {
    /// 市民扫码访问的公网地址，如 https://zwfw.example.gov.cn；二维码内容为“该地址/q/令牌”
    #[arg(long, env = "JIANPING_PUBLIC_URL")]
    pub base_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum QrCommand {
    /// 列出各窗口及其二维码令牌和地址（尚无二维码的窗口此时生成）
    List(QrListArgs),
    /// 生成大厅二维码打印页（HTML，A4，每个窗口一张卡片）；不给 --hall 时每个大厅一个文件
    Sheet(QrSheetArgs),
    /// 作废窗口的二维码并换发新二维码（已印制的旧卡片即刻失效）
    Revoke(QrRevokeArgs),
    /// 输出一个窗口的二维码（SVG）
    Svg(QrImageArgs),
    /// 输出一个窗口的二维码（PNG）
    Png(QrImageArgs),
    /// 评价器（窗口平板）的设备密钥：登记、列出、作废
    #[command(subcommand)]
    Device(QrDeviceCommand),
}

#[derive(Debug, Args)]
pub struct QrListArgs {
    /// 只列该大厅（名称或编码）的窗口
    #[arg(long)]
    pub hall: Option<String>,
    #[arg(long, default_value = "table", env = "JIANPING_FORMAT")]
    pub format: TableFormat,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub url: PublicUrlArgs,
}

#[derive(Debug, Args)]
pub struct QrSheetArgs {
    /// 大厅名称或编码；省略时为每个大厅各生成一个文件，--output 为文件夹
    #[arg(long)]
    pub hall: Option<String>,
    /// 输出的 HTML 文件（给出 --hall 时）或文件夹（省略 --hall 时）
    #[arg(long, short)]
    pub output: PathBuf,
    /// 卡片上不印二维码地址
    #[arg(long)]
    pub no_url: bool,
    #[command(flatten)]
    pub url: PublicUrlArgs,
}

#[derive(Debug, Args)]
pub struct QrRevokeArgs {
    /// 窗口编码、窗口名称或二维码令牌
    // A token is URL-safe base64 and may begin with '-'.
    #[arg(allow_hyphen_values = true)]
    pub window: String,
    /// 作废原因，如“二维码卡片遗失”（记入记录）
    #[arg(long)]
    pub reason: String,
    /// 操作人姓名（记入记录）
    #[arg(long, env = "JIANPING_ACTOR")]
    pub actor: Option<String>,
    #[command(flatten)]
    pub url: PublicUrlArgs,
}

#[derive(Debug, Args)]
pub struct QrImageArgs {
    /// 窗口编码、窗口名称或二维码令牌
    // A token is URL-safe base64 and may begin with '-'.
    #[arg(allow_hyphen_values = true)]
    pub window: String,
    /// 输出文件
    #[arg(long, short)]
    pub output: PathBuf,
    /// 输出带大厅、窗口、部门名称的卡片，而不是单独的二维码
    #[arg(long)]
    pub card: bool,
    /// PNG 的宽度（像素）；默认二维码约 400、卡片 720
    #[arg(long)]
    pub size: Option<u32>,
    /// 卡片上不印二维码地址
    #[arg(long)]
    pub no_url: bool,
    #[command(flatten)]
    pub url: PublicUrlArgs,
}

#[derive(Debug, Subcommand)]
pub enum QrDeviceCommand {
    /// 为窗口登记评价器，显示一次设备密钥
    Add(QrDeviceAddArgs),
    /// 列出评价器
    List(QrDeviceListArgs),
    /// 作废评价器（其密钥即刻失效）
    Revoke(QrDeviceRevokeArgs),
}

#[derive(Debug, Args)]
pub struct QrDeviceAddArgs {
    /// 窗口编码、窗口名称或二维码令牌
    #[arg(long, allow_hyphen_values = true)]
    pub window: String,
    /// 评价器名称，如“社保专窗评价器”（在用的评价器不能重名）
    #[arg(long)]
    pub name: String,
    /// 以 JSON 输出（含密钥，供部署脚本读取）
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct QrDeviceListArgs {
    /// 同时列出已作废的评价器
    #[arg(long)]
    pub all: bool,
    #[arg(long, default_value = "table", env = "JIANPING_FORMAT")]
    pub format: TableFormat,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct QrDeviceRevokeArgs {
    /// 评价器名称或编号（如 #3）
    pub device: String,
    /// 作废原因，如“设备遗失”
    #[arg(long)]
    pub reason: String,
    /// 操作人姓名（记入记录）
    #[arg(long, env = "JIANPING_ACTOR")]
    pub actor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Window tokens are URL-safe base64: one in 32 begins with '-', which clap would
    /// otherwise take for an option (a CI run met `-Y…`).
    #[test]
    fn a_window_token_beginning_with_a_hyphen_is_a_value() {
        for argv in [
            &["jianping", "qr", "revoke", "-Yabc", "--reason", "遗失"][..],
            &["jianping", "qr", "svg", "-Yabc", "--output", "a.svg"][..],
            &[
                "jianping",
                "qr",
                "device",
                "add",
                "--window",
                "-Yabc",
                "--name",
                "评价器",
            ][..],
        ] {
            let parsed = Cli::try_parse_from(argv);
            assert!(parsed.is_ok(), "{argv:?}: {}", parsed.unwrap_err());
            assert!(format!("{parsed:?}").contains("\"-Yabc\""), "{parsed:?}");
        }
    }
}
