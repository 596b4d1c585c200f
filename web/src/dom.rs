//! The few browser facilities the app uses directly: the URL, the keyboard, localStorage,
//! the clipboard and the theme attribute.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};

pub fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

/// The URL fragment without `#`.
pub fn fragment() -> String {
    let h = window().location().hash().unwrap_or_default();
    h.strip_prefix('#').unwrap_or(&h).to_string()
}

/// Is `?embed` in the query?
pub fn is_embed() -> bool {
    let q = window().location().search().unwrap_or_default();
    q.trim_start_matches('?').split('&').any(|p| p == "embed" || p.starts_with("embed="))
}

/// Replaces the fragment without a new history entry or a scroll.
pub fn set_fragment(f: &str) {
    let url = format!("#{f}");
    if fragment() == f {
        return;
    }
    if let Ok(h) = window().history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The page's address with fragment `f`.
pub fn url_with_fragment(f: &str) -> String {
    let loc = window().location();
    let base =
        format!("{}{}", loc.origin().unwrap_or_default(), loc.pathname().unwrap_or_default());
    format!("{base}#{f}")
}

pub fn copy(text: &str) {
    let _ = window().navigator().clipboard().write_text(text);
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

const SOLVED_KEY: &str = "bpfplay.exercises.solved";

pub fn solved() -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(SOLVED_KEY).ok().flatten())
        .map(|v| crate::services::exercises::parse_solved(&v))
        .unwrap_or_default()
}

pub fn mark_solved(id: &str) {
    let mut all = solved();
    if !all.iter().any(|s| s == id) {
        all.push(id.to_string());
        if let Some(s) = storage() {
            let _ = s.set_item(SOLVED_KEY, &all.join(","));
        }
    }
}

pub fn reset_solved() {
    if let Some(s) = storage() {
        let _ = s.remove_item(SOLVED_KEY);
    }
}

const THEME_KEY: &str = "bpfplay.theme";

/// `light`, `dark`, or empty for the system's choice (anything else stored counts as empty).
pub fn theme() -> String {
    storage()
        .and_then(|s| s.get_item(THEME_KEY).ok().flatten())
        .filter(|t| t == "light" || t == "dark")
        .unwrap_or_default()
}

pub fn is_dark() -> bool {
    match theme().as_str() {
        "dark" => true,
        "light" => false,
        _ => window()
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches()),
    }
}

/// Sets and remembers the theme (`light` or `dark`).
pub fn set_theme(t: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(THEME_KEY, t);
    }
    apply_theme();
}

pub fn apply_theme() {
    let t = theme();
    if let Some(root) = window().document().and_then(|d| d.document_element()) {
        if t.is_empty() {
            let _ = root.remove_attribute("data-theme");
        } else {
            let _ = root.set_attribute("data-theme", &t);
        }
    }
}

/// Keys the page answers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Verify,
    Left,
    Right,
    Home,
    End,
    Help,
    Escape,
}

/// Removes its listener when dropped.
pub struct Listener {
    closure: Closure<dyn FnMut(KeyboardEvent)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = window()
            .remove_event_listener_with_callback("keydown", self.closure.as_ref().unchecked_ref());
    }
}

/// Calls `f` for the page's shortcuts. Ctrl/Cmd+Enter works everywhere; the others only when
/// the focus is not in a text field (where arrows move the caret).
pub fn on_keydown(f: impl Fn(Key) + 'static) -> Listener {
    let closure = Closure::<dyn FnMut(KeyboardEvent)>::new(move |e: KeyboardEvent| {
        let typing = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlElement>().ok())
            .map(|el| {
                matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT")
                    || el.is_content_editable()
            })
            .unwrap_or(false);
        let key = e.key();
        let k = if key == "Enter" && (e.ctrl_key() || e.meta_key()) {
            Some(Key::Verify)
        } else if key == "Escape" {
            Some(Key::Escape)
        } else if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
            None
        } else {
            match key.as_str() {
                "ArrowLeft" => Some(Key::Left),
                "ArrowRight" => Some(Key::Right),
                "Home" => Some(Key::Home),
                "End" => Some(Key::End),
                "?" => Some(Key::Help),
                _ => None,
            }
        };
        if let Some(k) = k {
            e.prevent_default();
            f(k);
        }
    });
    let _ = window().add_event_listener_with_callback("keydown", closure.as_ref().unchecked_ref());
    Listener { closure }
}

/// Milliseconds since the page started.
pub fn now() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

/// Records on the root element when the app first rendered: `data-ready` = milliseconds since
/// navigation started.
pub fn mark_ready() {
    if let Some(root) = window().document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-ready", &format!("{:.1}", now()));
    }
}

/// Reads the file chosen in a file input; `done` gets its name and bytes (nothing when no
/// file is chosen or reading fails). Files over `max` bytes are reported as an error name.
pub fn read_file(
    input: &web_sys::HtmlInputElement,
    max: u32,
    done: impl FnOnce(Result<(String, Vec<u8>), String>) + 'static,
) {
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    let name = file.name();
    if file.size() > max as f64 {
        done(Err(format!("{name}: {} bytes is too large (at most {max})", file.size())));
        return;
    }
    let Ok(reader) = web_sys::FileReader::new() else {
        return;
    };
    let r = reader.clone();
    let onload = Closure::once(move || {
        let bytes =
            r.result().ok().map(|v| js_sys::Uint8Array::new(&v).to_vec()).unwrap_or_default();
        done(Ok((name, bytes)));
    });
    reader.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    let _ = reader.read_as_array_buffer(&file);
}
