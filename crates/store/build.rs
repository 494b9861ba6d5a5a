// Migrations are embedded by a macro that reads the folders at compile time; tell Cargo to
// rebuild when a migration is added or edited.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
