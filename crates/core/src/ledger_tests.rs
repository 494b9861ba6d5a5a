use super::*;
use State::*;

fn cmd(action: Action, response: Response) -> Command {
    let t = || "理由".to_string();
    match action {
        Action::Create => unreachable!(),
        Action::Claim => Command::Claim { note: None },
        Action::Return => Command::Return { reason: t() },
        Action::Reassign => Command::Reassign {
            department: "乌海市医疗保障局".into(),
            note: None,
        },
        Action::Rectify => Command::Rectify { measures: t() },
        Action::Close => Command::Close { note: None },
        Action::Reopen => Command::Reopen { reason: t() },
        Action::RequestExtension => Command::RequestExtension {
            days: 5,
            reason: t(),
        },
        Action::ApproveExtension => Command::DecideExtension {
            approve: true,
            note: None,
        },
        Action::RefuseExtension => Command::DecideExtension {
            approve: false,
            note: None,
        },
        Action::Callback => Command::Callback {
            response,
            note: None,
        },
        Action::FileAppeal => Command::FileAppeal {
            reason: t(),
            evidence: None,
        },
        Action::UpholdAppeal => Command::DecideAppeal {
            uphold: true,
            note: None,
        },
        Action::RejectAppeal => Command::DecideAppeal {
            uphold: false,
            note: None,
        },
    }
}

/// Facts that satisfy the action's preconditions other than the state, so that only the
/// state decides.
fn facts(state: State, action: Action) -> ItemFacts {
    let mut f = ItemFacts::new(state, SourceKind::Rating);
    f.pending_extension = matches!(action, Action::ApproveExtension | Action::RefuseExtension);
    f.pending_appeal = matches!(action, Action::UpholdAppeal | Action::RejectAppeal);
    f
}

/// The whole table, written out by hand from the documented diagram: (from, action) → to.
/// Anything not listed must be refused.
const ALLOWED: &[(State, Action, State)] = &[
    (Unclaimed, Action::Claim, Claimed),
    (Unclaimed, Action::Return, Returned),
    (Unclaimed, Action::Reassign, Unclaimed),
    (Unclaimed, Action::RequestExtension, Unclaimed),
    (Unclaimed, Action::ApproveExtension, Unclaimed),
    (Unclaimed, Action::RefuseExtension, Unclaimed),
    (Unclaimed, Action::Callback, Unclaimed),
    (Unclaimed, Action::FileAppeal, Unclaimed),
    (Unclaimed, Action::UpholdAppeal, Closed),
    (Unclaimed, Action::RejectAppeal, Unclaimed),
    (Claimed, Action::Return, Returned),
    (Claimed, Action::Reassign, Unclaimed),
    (Claimed, Action::Rectify, Rectified),
    (Claimed, Action::RequestExtension, Claimed),
    (Claimed, Action::ApproveExtension, Claimed),
    (Claimed, Action::RefuseExtension, Claimed),
    (Claimed, Action::Callback, Claimed),
    (Claimed, Action::FileAppeal, Claimed),
    (Claimed, Action::UpholdAppeal, Closed),
    (Claimed, Action::RejectAppeal, Claimed),
    (Rectified, Action::Close, Closed),
    (Rectified, Action::Reopen, Claimed),
    (Rectified, Action::Callback, Rectified),
    (Rectified, Action::UpholdAppeal, Closed),
    (Rectified, Action::RejectAppeal, Rectified),
    (Closed, Action::Reopen, Claimed),
    (Closed, Action::Callback, Closed),
    (Returned, Action::Reassign, Unclaimed),
    (Returned, Action::ApproveExtension, Returned),
    (Returned, Action::RefuseExtension, Returned),
    (Returned, Action::UpholdAppeal, Closed),
    (Returned, Action::RejectAppeal, Returned),
];

#[test]
fn every_transition_and_every_refusal_for_the_bureau() {
    for &state in State::ALL {
        for &action in Action::ALL.iter().filter(|a| **a != Action::Create) {
            let want = ALLOWED
                .iter()
                .find(|(s, a, _)| *s == state && *a == action)
                .map(|(_, _, to)| *to);
            let got = plan(
                &facts(state, action),
                &cmd(action, Response::Satisfied),
                Role::Bureau,
            );
            match (want, got) {
                (Some(to), Ok(g)) => assert_eq!(g, to, "{state:?} {action:?}"),
                (
                    None,
                    Err(LedgerError::State {
                        state: s,
                        action: a,
                        allowed,
                    }),
                ) => {
                    assert_eq!((s, a), (state, action));
                    assert!(!allowed.contains(&action));
                }
                (w, g) => panic!("{state:?} {action:?}: want {w:?}, got {g:?}"),
            }
        }
    }
}

#[test]
fn departments_cannot_take_bureau_steps() {
    let bureau = [
        Action::Reassign,
        Action::Close,
        Action::Reopen,
        Action::ApproveExtension,
        Action::RefuseExtension,
        Action::UpholdAppeal,
        Action::RejectAppeal,
    ];
    for &(state, action, to) in ALLOWED {
        let got = plan(
            &facts(state, action),
            &cmd(action, Response::Satisfied),
            Role::Department,
        );
        if bureau.contains(&action) {
            let e = got.unwrap_err();
            assert_eq!(e, LedgerError::Role { action });
            assert!(e.to_string().contains("须由政务服务局执行"), "{e}");
        } else {
            assert_eq!(got, Ok(to), "{state:?} {action:?}");
        }
    }
}

#[test]
fn an_unsatisfied_callback_reopens_only_finished_items() {
    for (state, want) in [
        (Rectified, Claimed),
        (Closed, Claimed),
        (Claimed, Claimed),
        (Unclaimed, Unclaimed),
    ] {
        let got = plan(
            &facts(state, Action::Callback),
            &cmd(Action::Callback, Response::Unsatisfied),
            Role::Bureau,
        );
        assert_eq!(got, Ok(want), "{state:?}");
    }
    let got = plan(
        &facts(Closed, Action::Callback),
        &cmd(Action::Callback, Response::Unreached),
        Role::Bureau,
    );
    assert_eq!(got, Ok(Closed));
}

#[test]
fn refusals_name_the_state_and_what_is_possible() {
    let e = plan(
        &ItemFacts::new(Closed, SourceKind::Feedback),
        &Command::Claim { note: None },
        Role::Department,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "当前状态为「已办结(销号)」，不能「认领」；此状态下可执行：回访"
    );
    let e = plan(
        &ItemFacts::new(Closed, SourceKind::Feedback),
        &Command::Rectify {
            measures: "x".into(),
        },
        Role::Bureau,
    )
    .unwrap_err();
    assert!(e.to_string().contains("重新打开、回访"), "{e}");
}

#[test]
fn preconditions_beyond_the_state() {
    let mut f = ItemFacts::new(Claimed, SourceKind::QrReport);
    let appeal = Command::FileAppeal {
        reason: "恶意差评".into(),
        evidence: None,
    };
    let e = plan(&f, &appeal, Role::Department).unwrap_err();
    assert!(e.to_string().contains("只有好差评的差评可以申诉"), "{e}");
    f.pending_extension = true;
    let again = cmd(Action::RequestExtension, Response::Satisfied);
    assert!(plan(&f, &again, Role::Department).is_err());
    f.pending_extension = false;
    let decide = cmd(Action::ApproveExtension, Response::Satisfied);
    assert!(
        plan(&f, &decide, Role::Bureau)
            .unwrap_err()
            .to_string()
            .contains("没有待审批的延期申请")
    );
    let mut upheld = ItemFacts::new(Closed, SourceKind::Rating);
    upheld.appeal_upheld = true;
    assert!(
        plan(
            &upheld,
            &cmd(Action::Reopen, Response::Satisfied),
            Role::Bureau
        )
        .is_err()
    );
    assert!(!allowed_actions(&upheld, Role::Bureau).contains(&Action::Callback));
}

#[test]
fn texts_are_required_where_they_carry_the_substance() {
    let f = ItemFacts::new(Claimed, SourceKind::Ticket);
    let e = plan(
        &f,
        &Command::Rectify {
            measures: "  ".into(),
        },
        Role::Department,
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "提交整改须写明整改措施");
    let e = plan(
        &f,
        &Command::RequestExtension {
            days: 0,
            reason: "材料未齐".into(),
        },
        Role::Department,
    )
    .unwrap_err();
    assert!(e.to_string().contains("正整数"));
}

#[test]
fn codes_and_names_parse() {
    assert_eq!(State::parse("待认领"), Ok(Unclaimed));
    assert_eq!(State::parse("rectified"), Ok(Rectified));
    assert_eq!(SourceKind::parse("qr_report"), Ok(SourceKind::QrReport));
    assert_eq!(Role::parse("局"), Ok(Role::Bureau));
    let e = State::parse("完成").unwrap_err();
    assert!(e.contains("closed(已办结(销号))"), "{e}");
    for s in State::ALL {
        assert_eq!(State::from_code(s.code()), Some(*s));
    }
}

#[test]
fn default_deadlines() {
    let c = LedgerConfig::default();
    assert_eq!(c.rectify_days(SourceKind::Rating, None), 15);
    assert_eq!(c.rating_callback_days, 1);
    assert_eq!(
        c.rectify_days(SourceKind::Ticket, Some(TicketKind::Help)),
        3
    );
    assert_eq!(
        c.rectify_days(SourceKind::Ticket, Some(TicketKind::Consult)),
        3
    );
    for k in [
        TicketKind::Complaint,
        TicketKind::Report,
        TicketKind::Suggestion,
    ] {
        assert_eq!(c.rectify_days(SourceKind::Ticket, Some(k)), 13);
    }
    assert_eq!(c.rectify_days(SourceKind::Feedback, None), 15);
    assert_eq!(c.rectify_days(SourceKind::QrReport, None), 15);
    assert!(c.validate().is_ok());
    // A partial configuration keeps the defaults for what it does not name.
    let partial: LedgerConfig = serde_json::from_str(r#"{"qr_days": 10}"#).unwrap();
    assert_eq!(partial.qr_days, 10);
    assert_eq!(partial.rating_days, 15);
    // A misspelt key is an error, not a silent default.
    let e = serde_json::from_str::<LedgerConfig>(r#"{"qr_dayz": 10}"#).unwrap_err();
    assert!(e.to_string().contains("qr_dayz"), "{e}");
}

#[test]
fn deadline_flags() {
    let cal = Calendar::official();
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let due = Some(d("2023-10-07"));
    // 2023-09-28 is the last working day before 10-07 (a make-up Saturday).
    let st = |state, today| deadline_status(&cal, state, due, None, d(today));
    assert_eq!(st(Claimed, "2023-09-27"), DeadlineStatus::OnTrack);
    assert_eq!(st(Claimed, "2023-09-28"), DeadlineStatus::Warning);
    assert_eq!(st(Unclaimed, "2023-10-03"), DeadlineStatus::Warning);
    assert_eq!(st(Claimed, "2023-10-07"), DeadlineStatus::Warning);
    assert_eq!(st(Claimed, "2023-10-08"), DeadlineStatus::Overdue);
    assert_eq!(
        deadline_status(&cal, Closed, due, Some(d("2023-10-08")), d("2023-12-01")),
        DeadlineStatus::DoneLate
    );
    assert_eq!(
        deadline_status(&cal, Rectified, due, Some(d("2023-10-07")), d("2023-12-01")),
        DeadlineStatus::Done
    );
    assert_eq!(
        deadline_status(&cal, Claimed, None, None, d("2023-12-01")),
        DeadlineStatus::None
    );
}
