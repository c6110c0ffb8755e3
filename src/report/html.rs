//! The report as one self-contained HTML file: inline CSS and SVG, no script, no network (a
//! Content Security Policy forbids both), print styles for A4 and Letter.

use std::fmt::Write;

use super::text::{html as esc, html_cell as cell};
use super::{Phrase as Span, Report, StepLine};
use crate::metrics::Trend;
use crate::plan::Rag;
use crate::units;

const STYLE: &str = r#"
:root { --ink: #1b1f24; --muted: #5b6470; --rule: #d8dde3; --accent: #0072B2;
  --red: #D55E00; --amber: #E69F00; --green: #009E73; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f6f8; color: var(--ink);
  font: 14px/1.5 "DejaVu Sans", "Segoe UI", system-ui, -apple-system, sans-serif; }
main { max-width: 920px; margin: 24px auto; background: #fff; padding: 40px 48px;
  box-shadow: 0 1px 3px rgba(0,0,0,.08); }
h1 { font-size: 26px; margin: 0 0 2px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); }
h3 { font-size: 15px; margin: 18px 0 6px; }
p { margin: 6px 0; }
.kicker { color: var(--accent); font-weight: bold; letter-spacing: .04em; text-transform: uppercase; font-size: 12px; margin: 0; }
.period { font-size: 16px; margin: 2px 0 10px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; color: var(--muted); font-size: 12.5px; margin: 0; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; margin: 12px 0; }
.figure { border: 1px solid var(--rule); border-top: 4px solid var(--muted); border-radius: 4px; padding: 10px 12px; }
.figure.better { border-top-color: var(--green); }
.figure.worse { border-top-color: var(--red); }
.figure .label { color: var(--muted); font-size: 12.5px; }
.figure .value { font-size: 24px; font-weight: bold; }
.figure .arrow { font-size: 18px; margin-left: 4px; }
.figure.better .arrow { color: var(--green); } .figure.worse .arrow { color: var(--red); }
.figure .change { font-size: 13px; }
.figure .context { color: var(--muted); font-size: 12px; }
.since { background: #eef5fb; border-left: 4px solid var(--accent); padding: 8px 12px; }
ul { margin: 6px 0; padding-left: 20px; }
li { margin: 3px 0; }
.rag { display: inline-block; min-width: 56px; text-align: center; border-radius: 3px; color: #fff;
  font-size: 12px; font-weight: bold; padding: 1px 6px; margin-right: 6px; }
.rag.red { background: var(--red); } .rag.amber { background: var(--amber); color: #1b1f24; } .rag.green { background: var(--green); }
.objective { border: 1px solid var(--rule); border-radius: 4px; padding: 8px 14px 10px; margin: 10px 0; break-inside: avoid; }
.objective h3 { margin-top: 4px; }
progress { width: 160px; height: 10px; vertical-align: middle; margin-right: 8px; }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--rule); }
th { background: #f0f3f6; }
td.num, th.num { text-align: right; white-space: nowrap; }
figure { margin: 16px 0 22px; break-inside: avoid; }
figure h3 { margin: 0; }
figure svg { width: 100%; height: auto; display: block; }
.definition { color: var(--muted); font-size: 12px; }
dl.definitions dt { font-weight: bold; margin-top: 8px; }
dl.definitions dd { margin: 0 0 0 0; color: var(--ink); }
footer { color: var(--muted); font-size: 12px; margin-top: 32px; border-top: 1px solid var(--rule); padding-top: 8px; }
@media print {
  /* The reader's own paper (A4 or Letter). */
  @page { margin: 16mm 15mm; }
  body { background: #fff; font-size: 10.5pt; }
  main { box-shadow: none; margin: 0; padding: 0; max-width: none; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  section#charts, section#definitions { break-before: page; }
  tr { break-inside: avoid; }
}
"#;

fn spans(out: &mut String, spans: &[Span]) {
    for span in spans {
        if span.strong {
            let _ = write!(out, "<strong>{}</strong>", esc(&span.text));
        } else {
            out.push_str(&esc(&span.text));
        }
    }
}

fn rag_badge(rag: Rag) -> String {
    let word = match rag {
        Rag::Red => "Red",
        Rag::Amber => "Amber",
        Rag::Green => "Green",
    };
    format!("<span class=\"rag {}\">{word}</span>", rag.as_str())
}

fn step_list(out: &mut String, title: &str, steps: &[StepLine]) {
    if steps.is_empty() {
        return;
    }
    let _ = write!(out, "<p><strong>{title}</strong></p><ul>");
    for s in steps {
        let _ = write!(
            out,
            "<li><strong>{}</strong> {}{}{}</li>",
            esc(&s.reference),
            esc(&s.text),
            if s.owner.is_empty() {
                String::new()
            } else {
                format!(" <span class=\"muted\">· {}</span>", esc(&s.owner))
            },
            if s.when.is_empty() {
                String::new()
            } else {
                format!(" <span class=\"muted\">· {}</span>", esc(&s.when))
            }
        );
    }
    out.push_str("</ul>");
}

/// The SVG placed inline, scaling with the page (its own size becomes a viewBox).
fn inline_svg(svg: &str, width: u32, height: u32, label: &str) -> String {
    let body = svg.find("<svg").map(|start| &svg[start..]).unwrap_or(svg);
    let view_box = if body.contains("viewBox") {
        String::new()
    } else {
        format!("viewBox=\"0 0 {width} {height}\" ")
    };
    body.replacen(
        "<svg ",
        &format!("<svg {view_box}role=\"img\" aria-label=\"{}\" ", esc(label)),
        1,
    )
}

fn percent(share: Option<f64>) -> String {
    share.map(units::percent).unwrap_or_else(|| "—".to_owned())
}

/// The report as a self-contained HTML document.
pub fn render_html(report: &Report) -> String {
    let h = &report.header;
    let mut out = String::with_capacity(256 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
         <meta name=\"generator\" content=\"Streamline {}\">\
         <title>{} — {} — {}</title><style>{STYLE}</style></head><body><main>",
        esc(&h.app_version),
        esc(&h.program_name),
        esc(&h.title),
        esc(&h.period_text)
    );

    // Header.
    let _ = write!(
        out,
        "<header id=\"header\"><p class=\"kicker\">{}</p><h1>{}</h1><p class=\"period\">{}</p><dl class=\"meta\">",
        esc(&h.title),
        esc(&h.program_name),
        esc(&h.period_text)
    );
    for (term, value) in [
        ("Data", h.data_range_text.as_str()),
        ("Generated", h.generated_at_text.as_str()),
        (
            "Author",
            if h.author.is_empty() {
                "—"
            } else {
                &h.author
            },
        ),
        ("For", h.audience.label()),
        ("Streamline", h.app_version.as_str()),
    ] {
        let _ = write!(out, "<dt>{term}</dt><dd>{}</dd>", esc(value));
    }
    out.push_str("</dl></header>");

    // Executive summary.
    let s = &report.summary;
    out.push_str("<section id=\"summary\"><h2>Executive summary</h2><div class=\"figures\">");
    for f in &s.figures {
        let class = match f.trend {
            Some(Trend::Better) => "better",
            Some(Trend::Worse) => "worse",
            _ => "",
        };
        let _ = write!(
            out,
            "<div class=\"figure {class}\"><div class=\"label\">{}</div><div class=\"value\">{}{}</div><div class=\"change\">{}</div><div class=\"context\">{}</div></div>",
            esc(&f.label),
            esc(&f.value),
            f.arrow
                .as_ref()
                .map(|a| format!("<span class=\"arrow\">{}</span>", esc(a)))
                .unwrap_or_default(),
            esc(f.change.as_deref().unwrap_or("")),
            esc(&f.context)
        );
    }
    let _ = write!(
        out,
        "</div><p><strong>Plan:</strong> {}</p><p class=\"muted\">{}</p>",
        esc(&s.plan_line),
        esc(&s.basis)
    );
    if !s.verdicts.is_empty() {
        out.push_str("<h3>Before and after the milestones</h3><ul class=\"verdicts\">");
        for v in &s.verdicts {
            for sentence in &v.sentences {
                out.push_str("<li>");
                spans(&mut out, sentence);
                out.push_str("</li>");
            }
        }
        out.push_str("</ul>");
    }
    let _ = write!(
        out,
        "<p class=\"since\">{}</p></section>",
        esc(&s.since_last)
    );

    // The plan, objective by objective.
    out.push_str("<section id=\"plan\"><h2>Plan by objective</h2>");
    for o in &report.objectives {
        let _ = write!(
            out,
            "<article class=\"objective\"><h3>{}{} · {}</h3>",
            rag_badge(o.rag),
            esc(&o.id),
            esc(&o.title)
        );
        match o.percent_done {
            Some(p) => {
                let _ = write!(
                    out,
                    "<p><progress max=\"{}\" value=\"{}\">{p}%</progress>{p}% of steps done ({} of {})</p>",
                    o.steps_total, o.steps_done, o.steps_done, o.steps_total
                );
            }
            None => out.push_str("<p>No steps yet.</p>"),
        }
        let _ = write!(
            out,
            "<p><strong>Status:</strong> {}{}</p>",
            esc(&o.rag_reason),
            if o.overridden {
                format!(
                    " <span class=\"muted\">(set by hand; {})</span>",
                    esc(o.rule_text.as_deref().unwrap_or(""))
                )
            } else {
                String::new()
            }
        );
        if let Some(outcome) = &o.outcome {
            let _ = write!(
                out,
                "<p><strong>From the data:</strong> {}</p>",
                esc(outcome)
            );
        }
        if !o.owners.is_empty() {
            let owners: Vec<String> = o.owners.iter().map(|x| esc(x)).collect();
            let _ = write!(out, "<p><strong>Owners:</strong> {}</p>", owners.join(", "));
        }
        step_list(&mut out, "Overdue", &o.overdue);
        step_list(&mut out, "Blocked", &o.blocked);
        step_list(&mut out, "Next due", &o.next_due);
        if !o.steps.is_empty() {
            out.push_str("<table class=\"steps\"><thead><tr><th>Step</th><th>Text</th><th>Owner</th><th>Status</th><th>When</th></tr></thead><tbody>");
            for st in &o.steps {
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    cell(&st.reference),
                    cell(&st.text),
                    cell(&st.owner),
                    st.status.label(),
                    esc(&st.when)
                );
            }
            out.push_str("</tbody></table>");
        }
        out.push_str("</article>");
    }
    out.push_str("</section>");

    // Accountability.
    out.push_str("<section id=\"accountability\"><h2>Accountability</h2><table><thead><tr><th>Lead</th><th>Owner</th><th>Accountability</th><th>Person</th></tr></thead><tbody>");
    for row in &report.accountability {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            cell(&row.lead),
            cell(&row.owner),
            cell(&row.accountability),
            cell(if row.person.is_empty() {
                "—"
            } else {
                &row.person
            })
        );
    }
    out.push_str("</tbody></table></section>");

    // Charts.
    out.push_str("<section id=\"charts\"><h2>Charts</h2>");
    for c in &report.charts {
        let _ = write!(
            out,
            "<figure id=\"chart-{}\"><h3>{}</h3><p class=\"muted\">{}</p>{}<p class=\"definition\">{}</p></figure>",
            esc(&c.key),
            esc(&c.title),
            esc(&c.subtitle),
            inline_svg(&c.svg, c.size.width, c.size.height, &c.title),
            esc(&c.definition)
        );
    }
    out.push_str("</section>");

    // Since the last report.
    let ch = &report.changes;
    out.push_str("<section id=\"changes\"><h2>Since the last report</h2>");
    match &ch.since_text {
        None => out.push_str(
            "<p>This is the first report issued. The next one will list the steps completed, the figures that moved and the new imports since this one.</p>",
        ),
        Some(since) => {
            let _ = write!(out, "<p>Last report issued {}.</p>", esc(since));
            if ch.steps_completed.is_empty() {
                out.push_str("<p>No step was completed.</p>");
            }
            step_list(&mut out, "Steps completed", &ch.steps_completed);
            if !ch.rag_changes.is_empty() {
                out.push_str("<p><strong>Status changes</strong></p><ul>");
                for r in &ch.rag_changes {
                    let _ = write!(
                        out,
                        "<li>{} · {}: {} → {}</li>",
                        esc(&r.objective),
                        esc(&r.title),
                        rag_badge(r.was),
                        rag_badge(r.now)
                    );
                }
                out.push_str("</ul>");
            }
            if !ch.figures.is_empty() {
                out.push_str("<table class=\"figure-changes\"><thead><tr><th>Figure</th><th class=\"num\">Last report</th><th class=\"num\">Now</th><th>Change</th></tr></thead><tbody>");
                for f in &ch.figures {
                    let judged = match f.trend {
                        Some(Trend::Better) => " (better)",
                        Some(Trend::Worse) => " (worse)",
                        _ => "",
                    };
                    let _ = write!(
                        out,
                        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}{judged}</td></tr>",
                        esc(&f.label),
                        esc(&f.was),
                        esc(&f.now),
                        esc(&f.direction)
                    );
                }
                out.push_str("</tbody></table>");
            }
            if ch.imports.is_empty() {
                out.push_str("<p>No new imports.</p>");
            } else {
                out.push_str("<table class=\"imports\"><thead><tr><th>New import</th><th>Format</th><th class=\"num\">Rows</th><th class=\"num\">New items</th><th class=\"num\">Updated</th><th class=\"num\">Rejected</th></tr></thead><tbody>");
                for i in &ch.imports {
                    let _ = write!(
                        out,
                        "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                        cell(&i.file_name),
                        esc(&i.format),
                        units::count(i.rows_read.unsigned_abs()),
                        units::count(i.items_new.unsigned_abs()),
                        units::count(i.items_updated.unsigned_abs()),
                        units::count(i.rows_rejected.unsigned_abs())
                    );
                }
                out.push_str("</tbody></table>");
            }
        }
    }
    out.push_str("</section>");

    // Data quality.
    let q = &report.data_quality;
    let _ = write!(
        out,
        "<section id=\"data-quality\"><h2>Data quality</h2><p>{} items in the period; {} had a triage time and {} a resolve time.</p>",
        units::count(q.items),
        percent(q.triage_coverage),
        percent(q.resolve_coverage)
    );
    if !q.coverage.is_empty() {
        out.push_str("<table class=\"coverage\"><thead><tr><th>Queue</th><th class=\"num\">Items</th><th class=\"num\">Triage time known</th><th class=\"num\">Resolve time known</th></tr></thead><tbody>");
        for row in &q.coverage {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                cell(&row.queue),
                units::count(row.items),
                percent(row.triage_coverage),
                percent(row.resolve_coverage)
            );
        }
        out.push_str("</tbody></table>");
    }
    let _ = write!(
        out,
        "<ul><li>{} items without a created time (in no week).</li><li>{} triaged and {} resolved before they were created (left out of the timings).</li></ul>",
        units::count(q.without_created_time),
        units::count(q.negative_triage),
        units::count(q.negative_resolve)
    );
    if q.rejected.is_empty() {
        out.push_str("<p>No rows were rejected by any import.</p>");
    } else {
        out.push_str("<p><strong>Rejected rows</strong></p><ul>");
        for r in &q.rejected {
            let examples: Vec<String> = r
                .examples
                .iter()
                .map(|e| format!("line {}: {}", e.line, esc(&e.reason)))
                .collect();
            let _ = write!(
                out,
                "<li>{}: {} rows{}</li>",
                esc(&r.file_name),
                units::count(r.rows_rejected.unsigned_abs()),
                if examples.is_empty() {
                    String::new()
                } else {
                    format!(" <span class=\"muted\">({})</span>", examples.join("; "))
                }
            );
        }
        out.push_str("</ul>");
    }
    if !q.date_orders.is_empty() {
        out.push_str("<p><strong>Day/month order of dates</strong></p><ul>");
        for d in &q.date_orders {
            let _ = write!(
                out,
                "<li>{}: {}, {}</li>",
                esc(&d.file_name),
                esc(&d.order),
                esc(&d.settled)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");

    // Appendix.
    out.push_str("<section id=\"definitions\"><h2>Appendix: metric definitions</h2><dl class=\"definitions\">");
    for d in &report.definitions {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(&d.name), esc(&d.text));
    }
    let _ = writeln!(
        out,
        "</dl></section><footer>{} · {} · generated {} by Streamline {} · nothing in this file loads anything from a network.</footer></main></body></html>",
        esc(&h.program_name),
        esc(&h.title),
        esc(&h.generated_at_text),
        esc(&h.app_version)
    );
    out
}
