//! `sqlx::migrate!` embeds the migration files when the crate is compiled, so a migration
//! added or changed must compile the crate again.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
