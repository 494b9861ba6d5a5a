fn main() {
    // Templates are embedded: intranets have no internet and the binary ships alone.
    minijinja_embed::embed_templates!("src/templates");
}
