//! Making text from the data and the plan inert in each format. An item title, a queue name, a
//! step's text or a person's name can be `<img src=x onerror=alert(1)>` or
//! `=HYPERLINK("http://evil","x")`: it must read as those characters, never act.

use std::borrow::Cow;

/// Escapes text for HTML element content and quoted attribute values.
pub(super) fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Characters that start a spreadsheet formula when a cell begins with them (OWASP's list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A table cell's text that a spreadsheet will not run as a formula when the table is pasted
/// or exported: a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` in front
/// (the spreadsheet convention for "this is text").
pub fn neutralise_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Escapes text for a line of Markdown (CommonMark with GitHub's tables and autolinks): no
/// raw HTML, link, emphasis, table break, autolink or line-start syntax survives, and the
/// text stays on one line.
pub(super) fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_two = chars.get(i + 1..i + 3);
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '!' | '~' | '{' | '}'
            | '@' => {
                out.push('\\');
                out.push(c);
            }
            // "http://…" and "www." would become links.
            ':' if next_two == Some(&['/', '/']) => out.push_str("\\:"),
            '.' if i >= 3
                && chars[i - 3..i]
                    .iter()
                    .collect::<String>()
                    .eq_ignore_ascii_case("www") =>
            {
                out.push_str("\\.")
            }
            // At the start of a line these make headings, lists, quotes or formulas.
            '#' | '+' | '-' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A Markdown table cell from the data or the plan: formula-neutralised, then escaped.
pub(super) fn markdown_cell(text: &str) -> String {
    markdown(&neutralise_cell(text.trim_start_matches([' ', '\n'])))
}

/// A table cell for HTML: formula-neutralised, then escaped.
pub(super) fn html_cell(text: &str) -> String {
    html(&neutralise_cell(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_keeps_no_syntax() {
        assert_eq!(
            markdown("<img src=x onerror=alert(1)>"),
            "\\<img src=x onerror=alert(1)\\>"
        );
        assert_eq!(markdown("[a](http://x)"), "\\[a\\](http\\://x)");
        assert_eq!(markdown("# x\ny"), "\\# x y");
    }

    #[test]
    fn cells_never_start_a_formula() {
        for hostile in [
            "=HYPERLINK(\"http://e\",\"x\")",
            "+1",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            let cell = neutralise_cell(hostile);
            assert!(cell.starts_with('\''), "{hostile:?} became {cell:?}");
        }
        assert_eq!(neutralise_cell("Defender XDR"), "Defender XDR");
    }
}
