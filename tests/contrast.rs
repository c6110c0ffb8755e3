//! The app's colours pass WCAG 2.1 AA in light and in dark: 4.5:1 for text, 3:1 for the focus ring
//! and the borders that mark a control (success criteria 1.4.3 and 1.4.11). The colours are read
//! from ui/css/app.css, and every text colour the stylesheet uses is checked against the
//! backgrounds it is drawn on, so a new colour cannot slip in unchecked.

use std::collections::BTreeMap;

const CSS: &str = include_str!("../ui/css/app.css");

type Palette = BTreeMap<String, (f64, f64, f64)>;

/// `--name: #rrggbb;` declarations inside the first block that follows `marker`.
fn variables(after: &str) -> Palette {
    let open = after.find('{').expect("a block follows");
    let mut depth = 0;
    let mut end = open;
    for (i, c) in after[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    end = open + i;
                    break;
                }
            }
            _ => {}
        }
    }
    let mut out = Palette::new();
    for declaration in after[open..end].split(';') {
        let Some((name, value)) = declaration.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim().trim_start_matches('{').trim(), value.trim());
        if let (Some(name), Some(hex)) = (name.strip_prefix("--"), value.strip_prefix('#')) {
            if hex.len() == 6 {
                let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64;
                out.insert(name.to_owned(), (channel(0), channel(2), channel(4)));
            }
        }
    }
    out
}

/// The light palette, and the dark one (the light one with the dark overrides).
fn palettes() -> [(&'static str, Palette); 2] {
    let light = variables(&CSS[CSS.find(":root").expect("the stylesheet declares :root")..]);
    let media = CSS
        .find("@media (prefers-color-scheme: dark)")
        .expect("the stylesheet has a dark scheme");
    let mut dark = light.clone();
    dark.extend(variables(
        &CSS[media + CSS[media..].find(":root").unwrap()..],
    ));
    [("light", light), ("dark", dark)]
}

fn luminance((r, g, b): (f64, f64, f64)) -> f64 {
    let linear = |c: f64| {
        let c = c / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

fn contrast(a: (f64, f64, f64), b: (f64, f64, f64)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Every `color: var(--x)` in the stylesheet, with the `background: var(--y)` of the same rule.
fn text_colours() -> Vec<(String, Option<String>)> {
    let var_of = |decl: &str, property: &str| -> Option<String> {
        decl.split(';')
            .map(str::trim)
            .filter_map(|d| d.split_once(':'))
            .find(|(p, _)| p.trim() == property)
            .and_then(|(_, v)| v.trim().strip_prefix("var(--"))
            .and_then(|v| v.strip_suffix(')'))
            .map(str::to_owned)
    };
    CSS.split('}')
        .filter_map(|rule| rule.rsplit_once('{').map(|(_, body)| body))
        .filter_map(|body| var_of(body, "color").map(|fg| (fg, var_of(body, "background"))))
        .collect()
}

#[test]
fn every_text_colour_reads_at_4_5_to_1_on_its_backgrounds_in_light_and_dark() {
    let mut failures = std::collections::BTreeSet::new();
    for (scheme, palette) in palettes() {
        let colour = |name: &str| {
            *palette
                .get(name)
                .unwrap_or_else(|| panic!("--{name} is declared in the {scheme} palette"))
        };
        for (fg, bg) in text_colours() {
            // Where a rule sets no background, the text sits on what its region is drawn on.
            let backgrounds: Vec<String> = match bg {
                Some(bg) => vec![bg],
                None if fg.starts_with("sidebar") => {
                    vec!["sidebar".into(), "sidebar-current".into()]
                }
                None => {
                    let mut on = vec!["card".to_owned(), "bg".to_owned()];
                    if let Some(tint) = fg.strip_suffix("-text") {
                        if palette.contains_key(&format!("{tint}-bg")) {
                            on.push(format!("{tint}-bg"));
                        }
                    }
                    on
                }
            };
            for bg in backgrounds {
                // A rule that sets the background to its own text colour draws no text on it
                // (the border colour of an outlined control, say).
                if fg == bg || fg == "border" {
                    continue;
                }
                let ratio = contrast(colour(&fg), colour(&bg));
                if ratio < 4.5 {
                    failures.insert(format!("{scheme}: --{fg} on --{bg} is {ratio:.2}:1"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "text needs 4.5:1 (WCAG 1.4.3): {failures:#?}"
    );
}

#[test]
fn the_focus_ring_and_control_borders_stand_out_at_3_to_1() {
    let mut failures = Vec::new();
    for (scheme, palette) in palettes() {
        let pairs = [
            ("focus", "card"),
            ("focus", "bg"),
            ("focus", "sidebar"),
            ("control-border", "card"),
            ("control-border", "bg"),
            ("accent", "card"),
        ];
        for (fg, bg) in pairs {
            let ratio = contrast(palette[fg], palette[bg]);
            if ratio < 3.0 {
                failures.push(format!("{scheme}: --{fg} on --{bg} is {ratio:.2}:1"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "focus rings and control borders need 3:1 (WCAG 1.4.11): {failures:#?}"
    );
}

#[test]
fn controls_are_outlined_with_the_checked_border_colour() {
    for control in ["input[type=\"text\"]", ".button {"] {
        let at = CSS
            .find(control)
            .unwrap_or_else(|| panic!("{control} is styled"));
        let rule = &CSS[at..at + CSS[at..].find('}').unwrap()];
        assert!(
            rule.contains("border: 1px solid var(--control-border)"),
            "{control} is outlined with --control-border, whose contrast is checked: {rule}"
        );
    }
}

#[test]
fn the_contrast_formula_matches_wcag_examples() {
    let black = (0.0, 0.0, 0.0);
    let white = (255.0, 255.0, 255.0);
    assert!(
        (contrast(black, white) - 21.0).abs() < 1e-9,
        "black on white is 21:1"
    );
    let grey = (0x76 as f64, 0x76 as f64, 0x76 as f64);
    assert!(
        (contrast(grey, white) - 4.54).abs() < 0.01,
        "#767676 on white is the well-known 4.54:1"
    );
}
