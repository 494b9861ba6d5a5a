//! 二、政务服务基本情况: the service centre, cases, the matter catalog, the mobile platform's
//! reported figures, extended hours and certificate-free matters.

use crate::ReportError;
use crate::annual::{AnnualSettings, Warnings};
use crate::model::*;
use jianping_core::catalog::{CatalogEntry, LimitCompression, UnitCounts};
use jianping_core::rate::{format_approx, format_percent_floor, format_wan};
use jianping_core::{Period, RatePolicy, RegionCode, RegionLevel};
use jianping_store::Store;
use jianping_store::queries::catalog::{CaseCounts, HallRow, ReportedStat, WindowRow};

/// Hall kind of a service centre, and window kind of a comprehensive window.
const CENTER_KIND: &str = "政务服务中心";
const COMPREHENSIVE_KIND: &str = "综合受理";

pub fn build(
    store: &mut Store,
    period: &Period,
    settings: &AnnualSettings,
    city: &RegionRef,
    districts: &[RegionRef],
    warnings: &mut Warnings,
) -> Result<BasicsSection, ReportError> {
    // The seed prints this section's ratios with one decimal, whatever the report's precision.
    let p1 = settings.policy.with_precision(1);
    let at_end = store.catalog_at(period.to)?;
    let at_start = store.catalog_at(period.from)?;
    let halls = store.halls()?;
    let windows = store.windows()?;
    let cases: Vec<CaseCounts> = store.case_counts(period)?;
    let in_city = |c: &RegionCode| c.within(&city.code);
    let outside_cases: u64 = cases
        .iter()
        .filter(|c| !in_city(&c.region))
        .map(|c| c.accepted)
        .sum();
    if outside_cases > 0 {
        warnings.add(
            "办件",
            format!("{outside_cases} 件办件的行政区划不在本市范围内，未计入报告"),
        );
    }
    let cases: Vec<CaseCounts> = cases.into_iter().filter(|c| in_city(&c.region)).collect();
    let center_hall = center(
        &halls,
        settings.center_hall.as_deref(),
        &city.code,
        warnings,
    )?;
    let center = center_hall.map(|h| center_figures(h, &windows, &at_end));
    let accepted: u64 = cases.iter().map(|c| c.accepted).sum();
    let completed: u64 = cases.iter().map(|c| c.completed).sum();
    let mobile = mobile(
        &store.reported_stats_at(period.to)?,
        &city.code,
        &p1,
        warnings,
    );
    Ok(BasicsSection {
        center,
        cases: CaseFigures {
            accepted: Quantity {
                value: accepted,
                printed: format_wan(accepted, 1),
            },
            completion_rate: p1.rate(completed, accepted),
        },
        catalog: catalog(&at_start, &at_end, &city.code, &p1, warnings),
        mobile,
        extended: extended(&halls, &windows, &at_end, &cases, city, districts),
        cert_free: cert_free(&at_end, city, districts),
    })
}

/// The configured centre, else the one hall of kind 政务服务中心 in the city-level region.
fn center<'a>(
    halls: &'a [HallRow],
    configured: Option<&str>,
    city: &RegionCode,
    warnings: &mut Warnings,
) -> Result<Option<&'a HallRow>, ReportError> {
    if let Some(name) = configured {
        return halls
            .iter()
            .find(|h| h.name == name)
            .map(Some)
            .ok_or_else(|| {
                ReportError::Settings(format!(
                    "找不到名为「{name}」的大厅：请核对 --center-hall，或先导入大厅（jianping import halls）"
                ))
            });
    }
    let found: Vec<&HallRow> = halls
        .iter()
        .filter(|h| &h.region == city && h.kind.as_deref() == Some(CENTER_KIND))
        .collect();
    match found.as_slice() {
        [] => {
            warnings.add(
                "政务服务中心",
                format!(
                    "市级行政区划 {city} 下没有类型为「{CENTER_KIND}」的大厅，报告不含中心运行情况；请导入大厅或用 --center-hall 指定"
                ),
            );
            Ok(None)
        }
        [one] => Ok(Some(one)),
        [first, ..] => {
            warnings.add(
                "政务服务中心",
                format!(
                    "市级有 {} 个「{CENTER_KIND}」，报告采用「{}」；可用 --center-hall 指定",
                    found.len(),
                    first.name
                ),
            );
            Ok(Some(first))
        }
    }
}

fn center_figures(
    hall: &HallRow,
    windows: &[WindowRow],
    catalog: &[CatalogEntry],
) -> CenterFigures {
    let matters: Vec<&CatalogEntry> = catalog
        .iter()
        .filter(|e| e.hall.as_deref() == Some(hall.name.as_str()))
        .collect();
    let mut departments: Vec<&str> = matters.iter().map(|e| e.department.as_str()).collect();
    departments.sort_unstable();
    departments.dedup();
    CenterFigures {
        name: hall.name.clone(),
        comprehensive_windows: windows
            .iter()
            .filter(|w| {
                w.hall.as_deref() == Some(hall.name.as_str())
                    && w.kind.as_deref() == Some(COMPREHENSIVE_KIND)
            })
            .count() as u64,
        staff: hall.active_staff,
        departments: departments.len() as u64,
        matters: matters.len() as u64,
    }
}

fn change<T>(before: T, after: T, key: impl Fn(&T) -> f64) -> Change<T> {
    let (b, a) = (key(&before), key(&after));
    let direction = if a > b {
        "up"
    } else if a < b {
        "down"
    } else {
        "same"
    };
    Change {
        before,
        after,
        direction: direction.into(),
    }
}

fn compression(c: &LimitCompression, p1: &RatePolicy) -> Compression {
    Compression {
        rate: p1.rate(c.numerator, c.denominator),
        counted: c.counted,
        no_legal_limit: c.no_legal_limit,
        no_promised_limit: c.no_promised_limit,
        promised_over_legal: c.promised_over_legal,
        exact: c.exact,
    }
}

fn catalog(
    at_start: &[CatalogEntry],
    at_end: &[CatalogEntry],
    city: &RegionCode,
    p1: &RatePolicy,
    warnings: &mut Warnings,
) -> CatalogFigures {
    let start = UnitCounts::of(at_start, city);
    let end = UnitCounts::of(at_end, city);
    let c = &end.compression;
    if c.no_legal_limit > 0 {
        warnings.add(
            "事项目录",
            format!(
                "{} 项事项（去重后）没有法定时限，未计入承诺时限平均压缩率",
                c.no_legal_limit
            ),
        );
    }
    if c.no_promised_limit > 0 {
        warnings.add(
            "事项目录",
            format!(
                "{} 项事项（去重后）有法定时限但没有承诺时限，未计入承诺时限平均压缩率",
                c.no_promised_limit
            ),
        );
    }
    if c.promised_over_legal > 0 {
        warnings.add(
            "事项目录",
            format!(
                "{} 项事项（去重后）的承诺时限长于法定时限，压缩率按 0 计",
                c.promised_over_legal
            ),
        );
    }
    if !c.exact || !start.compression.exact {
        warnings.add(
            "事项目录",
            "法定时限种类过多，承诺时限平均压缩率按 10^-12 精度近似计算",
        );
    }
    let ratio = |r: &jianping_core::Rate| r.ratio.unwrap_or(-1.0);
    CatalogFigures {
        units: end.units,
        sectors: end.sectors,
        online_full: change(start.online_full, end.online_full, |v| *v as f64),
        compression: change(
            compression(&start.compression, p1),
            compression(&end.compression, p1),
            |c| ratio(&c.rate),
        ),
        scenario: p1.rate(end.scenario, end.units),
        instant: p1.rate(end.instant, end.units),
        e_license: p1.rate(end.e_license, end.units),
        cert_free: p1.rate(end.cert_free, end.units),
        at_start: start,
        at_end: end,
    }
}

/// Reported figures for the city: a figure for the city's own code wins over one with no
/// region.
fn reported<'a>(
    stats: &'a [ReportedStat],
    key: &str,
    city: &RegionCode,
) -> Option<&'a ReportedStat> {
    stats
        .iter()
        .filter(|s| s.key == key)
        .find(|s| s.region_code == city.as_str())
        .or_else(|| {
            stats
                .iter()
                .find(|s| s.key == key && s.region_code.is_empty())
        })
}

fn figure(s: &ReportedStat) -> ReportedFigure {
    ReportedFigure {
        key: s.key.clone(),
        name: s.name.clone(),
        value: s.value,
        unit: s.unit.clone(),
        source: s.source.clone(),
        region_code: s.region_code.clone(),
        period_from: s.period_from.clone(),
        period_to: s.period_to.clone(),
    }
}

fn whole(s: &ReportedStat, warnings: &mut Warnings) -> u64 {
    if s.value.fract() != 0.0 || s.value < 0.0 {
        warnings.add(
            "外部报送数据",
            format!(
                "{}（{}）的数值 {} 不是非负整数，按四舍五入取整",
                s.name, s.key, s.value
            ),
        );
    }
    s.value.max(0.0).round() as u64
}

fn mobile(
    stats: &[ReportedStat],
    city: &RegionCode,
    p1: &RatePolicy,
    warnings: &mut Warnings,
) -> Option<MobileFigures> {
    let keys = [
        "msb.featured_apps",
        "msb.mini_programs",
        "msb.registered_users",
        "msb.visits",
    ];
    let found: Vec<&ReportedStat> = keys
        .iter()
        .filter_map(|k| reported(stats, k, city))
        .collect();
    if found.is_empty() {
        return None;
    }
    let mut get = |k: &str| reported(stats, k, city).map(|s| whole(s, warnings));
    let featured_apps = get("msb.featured_apps");
    let mini_programs = get("msb.mini_programs");
    let users = get("msb.registered_users");
    let visits = get("msb.visits");
    let population = get("population");
    if users.is_some() && population.is_none() {
        warnings.add(
            "外部报送数据",
            "缺少人口数（population），无法计算移动端注册人数占地区人口比例",
        );
    }
    let mut sources: Vec<ReportedFigure> = found.into_iter().map(figure).collect();
    sources.extend(reported(stats, "population", city).map(figure));
    let app_name = reported(stats, "msb.registered_users", city)
        .map(|s| s.source.clone())
        .or_else(|| sources.first().map(|s| s.source.clone()))
        .unwrap_or_default();
    Some(MobileFigures {
        app_name,
        featured_apps,
        mini_programs,
        registered_users: users.map(|u| Quantity {
            value: u,
            printed: format_wan(u, 2),
        }),
        population_share: users
            .zip(population)
            .filter(|(_, p)| *p > 0)
            .map(|(u, p)| p1.rate(u, p)),
        visits: visits.map(|v| Quantity {
            value: v,
            printed: format_wan(v, 0),
        }),
        sources,
    })
}

fn extended(
    halls: &[HallRow],
    windows: &[WindowRow],
    catalog: &[CatalogEntry],
    cases: &[CaseCounts],
    city: &RegionRef,
    districts: &[RegionRef],
) -> ExtendedFigures {
    let within = |r: &RegionCode, area: &RegionCode| r.within(area);
    let matters_in = |area: &RegionCode| {
        catalog
            .iter()
            .filter(|e| e.extended_hours && within(&e.region, area))
            .count() as u64
    };
    let windows_in = |area: &RegionCode| {
        windows
            .iter()
            .filter(|w| w.extended_hours && within(&w.region, area))
            .count() as u64
    };
    let cases_in = |area: &RegionCode| {
        cases
            .iter()
            .filter(|c| within(&c.region, area))
            .map(|c| c.extended)
            .sum::<u64>()
    };
    let all_matters = catalog
        .iter()
        .filter(|e| within(&e.region, &city.code))
        .count() as u64;
    let matters = matters_in(&city.code);
    let total_cases = cases_in(&city.code);
    let highlight = busiest_district(districts, cases_in).map(|(d, n)| DistrictExtended {
        district: d.clone(),
        matters: matters_in(&d.code),
        windows: windows_in(&d.code),
        cases: n,
    });
    ExtendedFigures {
        halls: halls
            .iter()
            .filter(|h| h.extended_hours && within(&h.region, &city.code))
            .count() as u64,
        matters,
        matter_share: FloorShare {
            numerator: matters,
            denominator: all_matters,
            printed: format_percent_floor(matters, all_matters),
        },
        windows: windows_in(&city.code),
        cases: Quantity {
            value: total_cases,
            printed: format_approx(total_cases),
        },
        highlight,
    }
}

/// The district with the most extended-hours cases; ties go to the smaller code (districts
/// come in code order).
fn busiest_district(
    districts: &[RegionRef],
    cases_in: impl Fn(&RegionCode) -> u64,
) -> Option<(&RegionRef, u64)> {
    districts
        .iter()
        .map(|d| (d, cases_in(&d.code)))
        .filter(|(_, n)| *n > 0)
        .fold(None, |best, (d, n)| match best {
            Some((_, b)) if b >= n => best,
            _ => Some((d, n)),
        })
}

fn cert_free(
    catalog: &[CatalogEntry],
    city: &RegionRef,
    districts: &[RegionRef],
) -> CertFreeFigures {
    CertFreeFigures {
        city_level: catalog
            .iter()
            .filter(|e| {
                e.cert_free && e.region == city.code && e.region.level() == RegionLevel::City
            })
            .count() as u64,
        districts: districts
            .iter()
            .map(|d| DistrictCount {
                district: d.clone(),
                count: catalog
                    .iter()
                    .filter(|e| e.cert_free && e.region.within(&d.code))
                    .count() as u64,
            })
            .collect(),
    }
}
