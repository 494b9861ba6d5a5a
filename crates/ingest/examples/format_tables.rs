//! Prints the column table of every kind as Markdown, for `docs/import-formats.md`:
//! `cargo run -p jianping-ingest --example format_tables`.

use jianping_ingest::{Kind, columns_of};

fn main() {
    for kind in Kind::ALL {
        println!("### `{}` columns\n", kind.slug());
        println!("| Column | Required | Also accepted | Values |");
        println!("|---|---|---|---|");
        for c in columns_of(kind) {
            println!(
                "| {} | {} | {} | {} |",
                c.name,
                if c.required { "yes" } else { "" },
                c.aliases.join("、"),
                c.format
            );
        }
        println!();
    }
}
