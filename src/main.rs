//! Mounts the app. Everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    // A panic's message in the console, in builds that keep it (trunk serve;
    // the release build stops at a panic without one: scripts/build.sh).
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(stackwise::ui::App);
    stackwise::ui::remove_loading_screen();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    // The app is a web page: build it with `scripts/build.sh`.
    eprintln!("stackwise runs in the browser: see README.md");
}
