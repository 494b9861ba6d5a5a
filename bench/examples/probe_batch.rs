use jianping_bench::Generator;
use jianping_store::intake::RatingWriter;
use jianping_store::{Store, Target};
use std::time::Instant;
fn main() {
    let db = std::env::args().nth(1).unwrap();
    let bs: usize = std::env::args().nth(2).unwrap().parse().unwrap();
    let t = match Target::parse(&db).unwrap() {
        Target::Postgres { url, .. } => Target::Postgres {
            url,
            schema: Some("probe_b".into()),
        },
        x => x,
    };
    let mut w = RatingWriter::new(Store::open(&t).unwrap());
    let mut g = Generator::new(5, 10_000_000);
    let recs: Vec<_> = (0..50_000).map(|_| g.next_record().unwrap()).collect();
    w.write(&recs.iter().collect::<Vec<_>>()).unwrap();
    if std::env::var("NOFK").is_ok() {
        let rows = w.store().backend().query("SELECT conname FROM pg_constraint WHERE conrelid = 'ratings'::regclass AND contype = 'f'", &[]).unwrap();
        for r in rows {
            let n = r[0].as_str().unwrap().to_string();
            w.store()
                .backend()
                .execute_batch(&format!("ALTER TABLE ratings DROP CONSTRAINT {n}"))
                .unwrap();
        }
    }
    if std::env::var("NOROLL").is_ok() {
        std::process::exit(0);
    }
    let more: Vec<_> = (0..bs * 100).map(|_| g.next_record().unwrap()).collect();
    let t0 = Instant::now();
    for c in more.chunks(bs) {
        w.write(&c.iter().collect::<Vec<_>>()).unwrap();
    }
    println!(
        "batch {bs}: {:.2} ms per batch",
        t0.elapsed().as_secs_f64() * 10.0
    );
}
