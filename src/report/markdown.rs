//! The report as Markdown (CommonMark with GitHub tables), its charts as PNG files beside it.
//! Every string from the data or the plan is escaped; table cells are also formula-neutralised.

use std::fmt::Write;

use super::text::{markdown as md, markdown_cell as cell};
use super::{Report, StepLine};
use crate::metrics::Trend;
use crate::units;

fn step_list(out: &mut String, title: &str, steps: &[StepLine]) {
    if steps.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}:\n");
    for s in steps {
        let mut line = format!("- **{}** {}", md(&s.reference), md(&s.text));
        if !s.owner.is_empty() {
            let _ = write!(line, " · {}", md(&s.owner));
        }
        if !s.when.is_empty() {
            let _ = write!(line, " · {}", md(&s.when));
        }
        let _ = writeln!(out, "{line}");
    }
}

fn percent(share: Option<f64>) -> String {
    share.map(units::percent).unwrap_or_else(|| "—".to_owned())
}

/// The report as Markdown; charts are linked as `FILE_STEM-KEY.png` beside it.
pub fn render_markdown(report: &Report) -> String {
    let h = &report.header;
    let mut out = String::with_capacity(32 * 1024);
    let _ = writeln!(out, "# {} — {}\n", md(&h.program_name), md(&h.title));
    let _ = writeln!(out, "**{}**\n", md(&h.period_text));
    let _ = writeln!(out, "- Data: {}", md(&h.data_range_text));
    let _ = writeln!(out, "- Generated: {}", md(&h.generated_at_text));
    let _ = writeln!(
        out,
        "- Author: {}",
        if h.author.is_empty() {
            "—".to_owned()
        } else {
            md(&h.author)
        }
    );
    let _ = writeln!(out, "- For: {}", h.audience.label());
    let _ = writeln!(out, "- Streamline {}", md(&h.app_version));

    let s = &report.summary;
    out.push_str(
        "\n## Executive summary\n\n| Figure | Now | Change | Context |\n|---|---|---|---|\n",
    );
    for f in &s.figures {
        let change = match (&f.arrow, &f.change) {
            (Some(a), Some(c)) => format!("{a} {c}"),
            (None, Some(c)) => c.clone(),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "| {} | **{}** | {} | {} |",
            cell(&f.label),
            cell(&f.value),
            cell(&change),
            cell(&f.context)
        );
    }
    let _ = writeln!(out, "\n**Plan:** {}\n", md(&s.plan_line));
    let _ = writeln!(out, "_{}_", md(&s.basis));
    if !s.verdicts.is_empty() {
        out.push_str("\n### Before and after the milestones\n\n");
        for v in &s.verdicts {
            for sentence in &v.sentences {
                let text: String = sentence
                    .iter()
                    .map(|span| {
                        if span.strong {
                            format!("**{}**", md(&span.text))
                        } else {
                            md(&span.text)
                        }
                    })
                    .collect();
                let _ = writeln!(out, "- {text}");
            }
        }
    }
    let _ = writeln!(out, "\n> {}", md(&s.since_last));

    out.push_str("\n## Plan by objective\n");
    for o in &report.objectives {
        let _ = writeln!(
            out,
            "\n### {} · {} — {}\n",
            md(&o.id),
            md(&o.title),
            o.rag.as_str().to_uppercase()
        );
        match o.percent_done {
            Some(p) => {
                let _ = writeln!(
                    out,
                    "{p}% of steps done ({} of {}).  ",
                    o.steps_done, o.steps_total
                );
            }
            None => out.push_str("No steps yet.  \n"),
        }
        let _ = write!(out, "**Status:** {}", md(&o.rag_reason));
        if o.overridden {
            let _ = write!(
                out,
                " (set by hand; {})",
                md(o.rule_text.as_deref().unwrap_or(""))
            );
        }
        out.push_str("  \n");
        if let Some(outcome) = &o.outcome {
            let _ = writeln!(out, "**From the data:** {}  ", md(outcome));
        }
        if !o.owners.is_empty() {
            let owners: Vec<String> = o.owners.iter().map(|x| md(x)).collect();
            let _ = writeln!(out, "**Owners:** {}", owners.join(", "));
        }
        step_list(&mut out, "Overdue", &o.overdue);
        step_list(&mut out, "Blocked", &o.blocked);
        step_list(&mut out, "Next due", &o.next_due);
        if !o.steps.is_empty() {
            out.push_str("\n| Step | Text | Owner | Status | When |\n|---|---|---|---|---|\n");
            for st in &o.steps {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    cell(&st.reference),
                    cell(&st.text),
                    cell(&st.owner),
                    st.status.label(),
                    cell(&st.when)
                );
            }
        }
    }

    out.push_str(
        "\n## Accountability\n\n| Lead | Owner | Accountability | Person |\n|---|---|---|---|\n",
    );
    for row in &report.accountability {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&row.lead),
            cell(&row.owner),
            cell(&row.accountability),
            if row.person.is_empty() {
                "—".to_owned()
            } else {
                cell(&row.person)
            }
        );
    }

    out.push_str("\n## Charts\n");
    for c in &report.charts {
        let _ = writeln!(
            out,
            "\n### {}\n\n![{}]({})\n\n_{}_ — {}",
            md(&c.title),
            md(&c.title),
            report.chart_file_name(c),
            md(&c.subtitle),
            md(&c.definition)
        );
    }

    let ch = &report.changes;
    out.push_str("\n## Since the last report\n\n");
    match &ch.since_text {
        None => out.push_str("This is the first report issued. The next one will list the steps completed, the figures that moved and the new imports since this one.\n"),
        Some(since) => {
            let _ = writeln!(out, "Last report issued {}.", md(since));
            if ch.steps_completed.is_empty() {
                out.push_str("\nNo step was completed.\n");
            }
            step_list(&mut out, "Steps completed", &ch.steps_completed);
            if !ch.rag_changes.is_empty() {
                out.push_str("\nStatus changes:\n\n");
                for r in &ch.rag_changes {
                    let _ = writeln!(
                        out,
                        "- {} · {}: {} → {}",
                        md(&r.objective),
                        md(&r.title),
                        r.was.as_str(),
                        r.now.as_str()
                    );
                }
            }
            if !ch.figures.is_empty() {
                out.push_str("\n| Figure | Last report | Now | Change |\n|---|---:|---:|---|\n");
                for f in &ch.figures {
                    let judged = match f.trend {
                        Some(Trend::Better) => " (better)",
                        Some(Trend::Worse) => " (worse)",
                        _ => "",
                    };
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {}{judged} |",
                        cell(&f.label),
                        cell(&f.was),
                        cell(&f.now),
                        f.direction
                    );
                }
            }
            if ch.imports.is_empty() {
                out.push_str("\nNo new imports.\n");
            } else {
                out.push_str("\n| New import | Format | Rows | New items | Updated | Rejected |\n|---|---|---:|---:|---:|---:|\n");
                for i in &ch.imports {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {} | {} | {} |",
                        cell(&i.file_name),
                        cell(&i.format),
                        units::count(i.rows_read.unsigned_abs()),
                        units::count(i.items_new.unsigned_abs()),
                        units::count(i.items_updated.unsigned_abs()),
                        units::count(i.rows_rejected.unsigned_abs())
                    );
                }
            }
        }
    }

    let q = &report.data_quality;
    let _ = writeln!(
        out,
        "\n## Data quality\n\n{} items in the period; {} had a triage time and {} a resolve time.",
        units::count(q.items),
        percent(q.triage_coverage),
        percent(q.resolve_coverage)
    );
    if !q.coverage.is_empty() {
        out.push_str(
            "\n| Queue | Items | Triage time known | Resolve time known |\n|---|---:|---:|---:|\n",
        );
        for row in &q.coverage {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&row.queue),
                units::count(row.items),
                percent(row.triage_coverage),
                percent(row.resolve_coverage)
            );
        }
    }
    let _ = writeln!(
        out,
        "\n- {} items without a created time (in no week).\n- {} triaged and {} resolved before they were created (left out of the timings).",
        units::count(q.without_created_time),
        units::count(q.negative_triage),
        units::count(q.negative_resolve)
    );
    if q.rejected.is_empty() {
        out.push_str("\nNo rows were rejected by any import.\n");
    } else {
        out.push_str("\nRejected rows:\n\n");
        for r in &q.rejected {
            let examples: Vec<String> = r
                .examples
                .iter()
                .map(|e| format!("line {}: {}", e.line, md(&e.reason)))
                .collect();
            let _ = writeln!(
                out,
                "- {}: {} rows{}",
                md(&r.file_name),
                units::count(r.rows_rejected.unsigned_abs()),
                if examples.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", examples.join("; "))
                }
            );
        }
    }
    if !q.date_orders.is_empty() {
        out.push_str("\nDay/month order of dates:\n\n");
        for d in &q.date_orders {
            let _ = writeln!(
                out,
                "- {}: {}, {}",
                md(&d.file_name),
                md(&d.order),
                md(&d.settled)
            );
        }
    }

    out.push_str("\n## Appendix: metric definitions\n\n");
    for d in &report.definitions {
        let _ = writeln!(out, "**{}** — {}\n", md(&d.name), md(&d.text));
    }
    out
}
