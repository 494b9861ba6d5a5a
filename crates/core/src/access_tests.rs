use super::*;
use crate::ledger::Action;

/// The scopes every rule is tried on, for a clerk of department 7 and supervisor 3.
const SCOPES: [(&str, Scope); 6] = [
    ("city", Scope::City),
    (
        "own department",
        Scope::Item {
            department_id: Some(7),
            supervisor_id: None,
        },
    ),
    (
        "other department",
        Scope::Item {
            department_id: Some(8),
            supervisor_id: None,
        },
    ),
    (
        "unassigned",
        Scope::Item {
            department_id: None,
            supervisor_id: None,
        },
    ),
    (
        "own feedback, other department",
        Scope::Item {
            department_id: Some(8),
            supervisor_id: Some(3),
        },
    ),
    (
        "another supervisor's feedback, own department",
        Scope::Item {
            department_id: Some(7),
            supervisor_id: Some(4),
        },
    ),
];

/// Per scope above: Y allowed, N refused.
const ALL: &str = "YYYYYY";
const NONE: &str = "NNNNNN";
const OWN_DEPARTMENT: &str = "NYNNNY";
const OWN_FEEDBACK: &str = "NNNNYN";

fn principals() -> Vec<(&'static str, Principal)> {
    vec![
        ("admin", Principal::admin("局管理员甲")),
        ("clerk", Principal::clerk("经办人乙", 7)),
        ("supervisor", Principal::supervisor("监督员丙", 3)),
        ("leader", Principal::leader("领导丁")),
        ("auditor", Principal::auditor("审计员戊")),
        (
            "clerk without department",
            Principal {
                department_id: None,
                ..Principal::clerk("经办人己", 7)
            },
        ),
        (
            "supervisor without record",
            Principal {
                supervisor_id: None,
                ..Principal::supervisor("监督员庚", 3)
            },
        ),
    ]
}

fn operations() -> Vec<Operation> {
    let mut ops = vec![
        Operation::ViewLedger,
        Operation::ViewContact,
        Operation::ViewAccessLog,
        Operation::ViewReports,
        Operation::ImportData,
        Operation::Administer,
        Operation::LabelTopic,
        Operation::ViewDashboard,
        Operation::SubmitFeedback,
    ];
    ops.extend(Action::ALL.iter().map(|a| Operation::LedgerStep(*a)));
    ops
}

/// The steps a department clerk takes on the department's own items (the rest are the
/// bureau's), written out so that a change to either list shows here.
const CLERK_STEPS: [Action; 6] = [
    Action::Claim,
    Action::Return,
    Action::Rectify,
    Action::RequestExtension,
    Action::Callback,
    Action::FileAppeal,
];

/// The specification, role by role.
fn expected(who: &str, op: Operation) -> &'static str {
    use Operation as Op;
    match (who, op) {
        ("admin", Op::ViewAccessLog | Op::SubmitFeedback) => NONE,
        ("admin", _) => ALL,
        ("clerk", Op::ViewLedger | Op::ViewContact | Op::LabelTopic | Op::ViewDashboard) => {
            OWN_DEPARTMENT
        }
        ("clerk", Op::LedgerStep(a)) if CLERK_STEPS.contains(&a) => OWN_DEPARTMENT,
        ("clerk", _) => NONE,
        ("supervisor", Op::ViewLedger | Op::ViewDashboard | Op::SubmitFeedback) => OWN_FEEDBACK,
        ("supervisor", _) => NONE,
        ("leader", Op::ViewLedger | Op::ViewReports | Op::ViewDashboard) => ALL,
        ("leader", _) => NONE,
        ("auditor", Op::ViewAccessLog) => ALL,
        ("auditor", _) => NONE,
        ("clerk without department" | "supervisor without record", _) => NONE,
        _ => panic!("no rule for {who}"),
    }
}

#[test]
fn every_role_operation_and_scope_follows_the_table() {
    let mut checked = 0;
    for (who, p) in principals() {
        for op in operations() {
            let want = expected(who, op);
            for (i, (scope_name, scope)) in SCOPES.iter().enumerate() {
                let allowed = authorize(&p, op, scope).is_ok();
                let expect = want.as_bytes()[i] == b'Y';
                assert_eq!(
                    allowed, expect,
                    "{who} / {op:?} / {scope_name}: allowed={allowed}, table says {want}"
                );
                // The list form agrees with the item form.
                let listed = visible(&p, op).is_ok_and(|v| v.admits(scope));
                assert_eq!(listed, allowed, "{who} / {op:?} / {scope_name}: visible");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 7 * 23 * 6);
}

#[test]
fn refusals_say_why_in_chinese() {
    let clerk = Principal::clerk("经办人乙", 7);
    let other = Scope::item(Some(8), None);
    let e = authorize(&clerk, Operation::LedgerStep(Action::Claim), &other).unwrap_err();
    assert!(e.to_string().contains("不属于本部门"), "{e}");
    assert!(e.to_string().starts_with("无权办理整改事项（认领）"), "{e}");
    let own = Scope::item(Some(7), None);
    let e = authorize(&clerk, Operation::LedgerStep(Action::Close), &own).unwrap_err();
    assert!(e.to_string().contains("须由政务服务局执行"), "{e}");
    let e = authorize(&clerk, Operation::ViewLedger, &Scope::City).unwrap_err();
    assert!(e.to_string().contains("不能查看全市"), "{e}");
    let e = authorize(
        &Principal::admin("甲"),
        Operation::ViewAccessLog,
        &Scope::City,
    )
    .unwrap_err();
    assert!(e.reason().contains("审计员"), "{e}");
    let lost = Principal {
        department_id: None,
        ..clerk
    };
    let e = authorize(&lost, Operation::ViewLedger, &own).unwrap_err();
    assert!(e.to_string().contains("未关联所在部门"), "{e}");
}

#[test]
fn lists_are_restricted_to_the_principals_own_records() {
    assert_eq!(
        visible(&Principal::clerk("乙", 7), Operation::ViewLedger),
        Ok(Visibility::Department(7))
    );
    assert_eq!(
        visible(&Principal::supervisor("丙", 3), Operation::ViewLedger),
        Ok(Visibility::Supervisor(3))
    );
    assert_eq!(
        visible(&Principal::leader("丁"), Operation::ViewLedger),
        Ok(Visibility::City)
    );
    assert!(visible(&Principal::auditor("戊"), Operation::ViewLedger).is_err());
}

#[test]
fn roles_parse_and_map_to_the_ledger() {
    for r in UserRole::ALL {
        assert_eq!(UserRole::from_code(r.code()), Some(*r));
        assert_eq!(UserRole::parse(r.name()), Ok(*r));
    }
    assert!(
        UserRole::parse("boss")
            .unwrap_err()
            .contains("admin(局管理员)")
    );
    assert_eq!(UserRole::Admin.ledger_role(), Some(Role::Bureau));
    assert_eq!(UserRole::Clerk.ledger_role(), Some(Role::Department));
    assert_eq!(UserRole::Leader.ledger_role(), None);
}
